"""Conversation services: recording every contact, on any channel, exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.conversations.attachments import AttachmentIn, check_attachment
from amiable.conversations.models import (
    HAS_EXTERNAL_ID,
    Attachment,
    Channel,
    Direction,
    Interaction,
)
from amiable.conversations.sanitising import html_to_text, sanitise_html
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.core.unit_of_work import race_savepoint, service_atomic
from amiable.customers.models import Customer, CustomerStatus
from amiable.events.catalogue import InteractionDeliveryRequested, InteractionRecorded
from amiable.events.services import event_emit

if TYPE_CHECKING:
    from amiable.cases.models import Case

MAX_BODY_CHARS = 200_000


@dataclass(frozen=True)
class RecordedInteraction:
    interaction: Interaction
    created: bool


@service_atomic
def interaction_record(
    *,
    actor: User | None,
    customer: Customer,
    channel: str,
    direction: str,
    body_text: str = "",
    body_html: str = "",
    subject: str = "",
    case: Case | None = None,
    occurred_at: dt.datetime | None = None,
    language: str = "",
    external_id: str = "",
    message_id: str = "",
    time_spent_seconds: int = 0,
    metadata: dict[str, Any] | None = None,
    attachments: Iterable[AttachmentIn] = (),
) -> RecordedInteraction:
    """Store one contact. Idempotent per (channel, external id): a replay returns the
    stored interaction with ``created=False`` and writes nothing.

    Raises ValidationError for an unknown channel or direction, an empty message, or
    a case belonging to another customer; AttachmentRejectedError for a bad file.
    """
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if direction not in Direction.values:
        errors["direction"] = [_("Unknown direction.")]
    if channel in {Channel.NOTE, Channel.SYSTEM} and direction != Direction.INTERNAL:
        errors["direction"] = [_("Internal notes are internal.")]
    attachment_list = list(attachments)
    if (
        not body_text.strip()
        and not body_html.strip()
        and not attachment_list
        and channel != Channel.PHONE
    ):
        errors["body_text"] = [_("The message is empty.")]
    if len(body_text) > MAX_BODY_CHARS or len(body_html) > MAX_BODY_CHARS:
        errors["body_text"] = [_("The message is too long.")]
    if case is not None and case.customer_id != customer.pk:
        errors["case_id"] = [_("This case belongs to another customer.")]
    if customer.status == CustomerStatus.MERGED:
        errors["customer_id"] = [_("This customer was merged; use the surviving one.")]
    if errors:
        raise ValidationError(_("The message cannot be recorded."), fields=errors)
    external_id = external_id.strip()
    if external_id:
        existing = Interaction.objects.filter(
            HAS_EXTERNAL_ID, channel=channel, external_id=external_id
        ).first()
        if existing is not None:
            return RecordedInteraction(interaction=existing, created=False)
    checked = [
        (attachment, check_attachment(attachment)) for attachment in attachment_list
    ]
    safe_html = sanitise_html(body_html)
    text = body_text.strip() or (html_to_text(safe_html) if safe_html else "")
    # Only a non-empty external id has a unique key a concurrent writer can take.
    guard = race_savepoint() if external_id else nullcontext()
    try:
        with guard:
            interaction = Interaction.objects.create(
                customer=customer,
                case=case,
                channel=channel,
                direction=direction,
                author=actor if direction != Direction.INBOUND else None,
                occurred_at=occurred_at or now(),
                subject=subject.strip()[:255],
                body_text=text,
                body_html=safe_html,
                language=language[:8],
                external_id=external_id,
                message_id=message_id.strip().strip("<>")[:255],
                time_spent_seconds=max(0, time_spent_seconds),
                metadata=metadata or {},
            )
    except IntegrityError:
        existing = Interaction.objects.get(
            HAS_EXTERNAL_ID, channel=channel, external_id=external_id
        )
        return RecordedInteraction(interaction=existing, created=False)
    for attachment, digest in checked:
        stored = Attachment(
            interaction=interaction,
            filename=attachment.filename[:255],
            content_type=attachment.content_type.split(";")[0].strip().lower(),
            size=len(attachment.content),
            sha256=digest,
            is_inline=attachment.is_inline,
        )
        stored.file.save(digest, ContentFile(attachment.content), save=False)
        stored.save()
    audit_record(
        actor=actor,
        action="interaction.record",
        instance=interaction,
        actor_label="" if actor else "inbound",
        after={
            "customer": customer.pk,
            "case": case.pk if case else None,
            "channel": channel,
            "direction": direction,
        },
    )
    event_emit(
        InteractionRecorded(
            interaction_id=interaction.pk,
            customer_id=customer.pk,
            case_id=case.pk if case else None,
            channel=channel,
            direction=direction,
            author_id=interaction.author_id,
            occurred_at=interaction.occurred_at,
        ),
        actor=actor,
    )
    return RecordedInteraction(interaction=interaction, created=True)


def interaction_queue_delivery(*, interaction: Interaction) -> None:
    """Ask for an outbound message to be sent once the transaction commits. The
    request is an event stored in this transaction (``handlers.py`` sends): if
    this process dies between the commit and the enqueue, the relay sends it."""
    if interaction.direction != Direction.OUTBOUND:
        return
    event_emit(
        InteractionDeliveryRequested(
            interaction_id=interaction.pk,
            case_id=interaction.case_id,
            channel=interaction.channel,
        )
    )


@transaction.atomic
def interaction_annotate(
    *,
    interaction: Interaction,
    message_id: str = "",
    metadata: dict[str, Any] | None = None,
) -> Interaction:
    """Add what a channel knows about a stored contact (its Message-ID, parsing
    facts) to an interaction another service just recorded; existing metadata keys
    are kept unless given again. Writes no audit line: it completes the record."""
    changes: dict[str, Any] = {}
    if message_id.strip():
        changes["message_id"] = message_id.strip().strip("<>")[:255]
    if metadata:
        changes["metadata"] = {**(interaction.metadata or {}), **metadata}
    if changes:
        Interaction.objects.filter(pk=interaction.pk).update(**changes)
        for name, value in changes.items():
            setattr(interaction, name, value)
    return interaction


@transaction.atomic
def interaction_record_activity(
    *, customer: Customer, case: Case | None, text: str, metadata: dict[str, Any]
) -> Interaction:
    """An activity line on the timeline (channel SYSTEM, internal): a bounce, a
    delivery that failed for good, an automatic reply received."""
    return interaction_record(
        actor=None,
        customer=customer,
        case=case,
        channel=Channel.SYSTEM,
        direction=Direction.INTERNAL,
        body_text=text,
        metadata=metadata,
    ).interaction
