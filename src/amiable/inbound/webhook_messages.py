"""Turning each webhook payload into the one normalised ``ChannelMessage``."""

from __future__ import annotations

from django.utils import timezone

from amiable.cases.models import CaseKind
from amiable.conversations.models import Channel
from amiable.customers.models import IdentityKind
from amiable.inbound.schemas import (
    ChatIn,
    ProviderSmsForm,
    ReviewIn,
    SmsIn,
    SocialIn,
    WebformIn,
)
from amiable.inbound.services import ChannelMessage, IdentityRef


def sms_message(payload: SmsIn) -> ChannelMessage:
    return ChannelMessage(
        channel=Channel.SMS,
        external_id=payload.id,
        identities=[IdentityRef(IdentityKind.PHONE, payload.from_)],
        name=payload.from_,
        text=payload.text,
        occurred_at=payload.received_at,
        metadata={"to": payload.to, "media_urls": payload.media_urls},
    )


def provider_sms_message(payload: ProviderSmsForm) -> ChannelMessage:
    text = payload.Body.strip() or f"(MMS: {payload.NumMedia} media)"
    return ChannelMessage(
        channel=Channel.SMS,
        external_id=payload.MessageSid,
        identities=[IdentityRef(IdentityKind.PHONE, payload.From)],
        name=payload.From,
        text=text,
        metadata={"to": payload.To, "media_count": payload.NumMedia},
    )


def social_message(payload: SocialIn, *, source_slug: str) -> ChannelMessage:
    return ChannelMessage(
        channel=Channel.SOCIAL,
        external_id=payload.id,
        identities=[
            IdentityRef(IdentityKind.SOCIAL, payload.handle, platform=payload.platform)
        ],
        name=payload.author_name or payload.handle,
        text=payload.text,
        occurred_at=payload.posted_at,
        reply_to_external_id=(
            f"{source_slug}:{payload.in_reply_to_id}" if payload.in_reply_to_id else ""
        ),
        metadata={
            "platform": payload.platform,
            "kind": payload.kind,
            "handle": payload.handle,
            "url": payload.url,
            "is_public": payload.kind == "post",
        },
    )


def review_message(payload: ReviewIn) -> ChannelMessage:
    identities = []
    if payload.author_email:
        identities.append(IdentityRef(IdentityKind.EMAIL, payload.author_email))
    identities.append(
        IdentityRef(IdentityKind.SOCIAL, payload.author_id, platform=payload.platform)
    )
    text = "\n\n".join(item for item in (payload.title, payload.text) if item.strip())
    stars = "★" * payload.rating + "☆" * (5 - payload.rating)
    return ChannelMessage(
        channel=Channel.REVIEW,
        external_id=payload.id,
        identities=identities,
        name=payload.author_name or payload.author_id,
        text=text or "★" * payload.rating,
        subject=f"{payload.platform} {stars}",
        language=payload.language,
        occurred_at=payload.posted_at,
        metadata={"url": payload.url, "is_public": True},
    )


def webform_message(payload: WebformIn) -> ChannelMessage:
    identities = []
    if payload.email:
        identities.append(IdentityRef(IdentityKind.EMAIL, payload.email))
    if payload.phone:
        identities.append(IdentityRef(IdentityKind.PHONE, payload.phone))
    return ChannelMessage(
        channel=Channel.PORTAL,
        external_id=payload.id,
        identities=identities,
        name=payload.name,
        text=payload.message,
        subject=payload.subject,
        language=payload.language,
        case_reference=payload.case_reference.strip(),
        reuse_open_case=False,
        case_kind=CaseKind(payload.kind),
        metadata={"form": "contact"},
    )


def chat_message(payload: ChatIn) -> ChannelMessage:
    visitor = payload.visitor
    identities = []
    if visitor.email:
        identities.append(IdentityRef(IdentityKind.EMAIL, visitor.email))
    if visitor.phone:
        identities.append(IdentityRef(IdentityKind.PHONE, visitor.phone))
    lines = []
    for line in sorted(payload.lines, key=lambda item: item.at):
        at = timezone.localtime(line.at).strftime("%H:%M")
        name = line.name or line.sender
        lines.append(f"[{at}] {name}: {line.text.strip()}")
    started = payload.lines[0].at
    return ChannelMessage(
        channel=Channel.CHAT,
        external_id=payload.id,
        identities=identities,
        name=visitor.name or visitor.email or visitor.phone,
        text="\n".join(lines),
        subject=f"Chat {timezone.localtime(started):%Y-%m-%d %H:%M}",
        language=payload.language,
        occurred_at=started,
        case_reference=payload.case_reference.strip(),
        reuse_open_case=False,
        metadata={"lines": len(payload.lines), "transcript": True},
    )
