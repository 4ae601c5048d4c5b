"""Forwarding a case's messages to a third party (a carrier, a warehouse), and
their answer coming back onto the case as theirs, not the customer's.

A forward is an outbound email interaction whose ``metadata["kind"]`` is
``forward`` (with its recipients in ``metadata["to"]``); the third party's
answer, found by its In-Reply-To / References, is an inbound email interaction
of kind ``third_party``. Neither is shown to the customer on the portal, neither
counts as a response to the customer or as the customer's message (no SLA, no
reopening)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors.replies import case_reply_sender
from amiable.cases.services.messages import _copies
from amiable.cases.services.versioning import _lock, _write
from amiable.conversations.attachments import AttachmentIn
from amiable.conversations.delivery import FORWARD_ID_MARK
from amiable.conversations.models import (
    HAS_MESSAGE_ID,
    Channel,
    Direction,
    Interaction,
    InteractionKind,
)
from amiable.conversations.services import (
    interaction_queue_delivery,
    interaction_record,
)
from amiable.core.errors import ValidationError
from amiable.core.text import single_line

MAX_FORWARDED = 20
FORWARDABLE_CHANNELS = (
    Channel.EMAIL,
    Channel.PORTAL,
    Channel.SMS,
    Channel.CHAT,
    Channel.SOCIAL,
    Channel.LETTER,
    Channel.PHONE,
    Channel.NOTE,
)


def _quoted(interaction: Interaction) -> str:
    """One forwarded message as text: who, when, subject, then its text."""
    if interaction.direction == Direction.INBOUND:
        who = interaction.customer.name
    elif interaction.author is not None:
        who = interaction.author.get_full_name() or interaction.author.get_username()
    else:
        who = _("Customer service")
    head = [
        _("---------- Forwarded message ----------"),
        _("From: %(who)s (%(channel)s)")
        % {"who": who, "channel": interaction.get_channel_display()},
        _("Date: %(date)s")
        % {"date": formats.date_format(interaction.occurred_at, "DATETIME_FORMAT")},
    ]
    if interaction.subject:
        head.append(_("Subject: %(subject)s") % {"subject": interaction.subject})
    return "\n".join(head) + "\n\n" + interaction.body_text.strip()


def _forwarded(case: Case, ids: list[int]) -> list[Interaction]:
    if len(ids) > MAX_FORWARDED:
        raise ValidationError(
            _("The messages cannot be forwarded."),
            fields={"messages": [_("At most %(count)d.") % {"count": MAX_FORWARDED}]},
        )
    chosen = list(
        Interaction.objects.filter(
            case=case, pk__in=ids, channel__in=FORWARDABLE_CHANNELS
        )
        .select_related("customer", "author")
        .prefetch_related("attachments")
        .order_by("occurred_at", "id")
    )
    if len(chosen) != len(set(ids)):
        raise ValidationError(
            _("The messages cannot be forwarded."),
            fields={"messages": [_("Choose messages of this case.")]},
        )
    return chosen


def _stored_files(interactions: list[Interaction]) -> list[AttachmentIn]:
    files: list[AttachmentIn] = []
    for interaction in interactions:
        for attachment in interaction.attachments.all():
            with attachment.file.open("rb") as stored:
                files.append(
                    AttachmentIn(
                        filename=attachment.filename,
                        content_type=attachment.content_type,
                        content=stored.read(),
                    )
                )
    return files


@transaction.atomic
def case_forward(
    *,
    actor: User,
    case: Case,
    to: Iterable[str],
    body_text: str = "",
    interaction_ids: Iterable[int] = (),
    subject: str = "",
    attachments: Iterable[AttachmentIn] = (),
    expected_version: int | None = None,
) -> Interaction:
    """Email the chosen messages of ``case`` (with their files) and/or a written
    message to third parties, from the mailbox the customer wrote to; queue the
    delivery after commit. Not a response to the customer: no SLA stamp.

    Raises ValidationError (no recipient, a bad address, nothing to forward,
    another case's message), AttachmentRejectedError, VersionConflictError."""
    recipients = _copies("to", to)
    if not recipients:
        raise ValidationError(
            _("The messages cannot be forwarded."),
            fields={"to": [_("Give at least one email address.")]},
        )
    ids = [int(value) for value in interaction_ids]
    case = _lock(case, expected_version=expected_version)
    chosen = _forwarded(case, ids)
    language = (translation.get_language() or "fr")[:2]
    parts = [body_text.strip()] if body_text.strip() else []
    parts += [_quoted(interaction) for interaction in chosen]
    if not parts:
        raise ValidationError(
            _("The messages cannot be forwarded."),
            fields={"body": [_("Write a message or choose messages to forward.")]},
        )
    metadata: dict[str, Any] = {
        "kind": InteractionKind.FORWARD,
        "to": recipients,
        "forwarded": [interaction.pk for interaction in chosen],
    }
    sender = case_reply_sender(case=case)
    if sender is not None:
        metadata.update(
            from_address=sender.address,
            from_name=sender.name,
            signature=sender.signature,
        )
    subject = single_line(subject) or _("Fwd: %(subject)s") % {"subject": case.subject}
    recorded = interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        subject=f"[{case.reference}] {subject}"[:255],
        body_text="\n\n".join(parts),
        language=language,
        attachments=[*_stored_files(chosen), *attachments],
        metadata=metadata,
    )
    interaction = recorded.interaction
    _write(
        case,
        expected_version=expected_version,
        actor=actor,
        changes={"last_activity_at": interaction.occurred_at},
    )
    interaction_queue_delivery(interaction=interaction)
    return interaction


def forward_answered(*, sender: str, message_ids: list[str]) -> Interaction | None:
    """The forward that an email from ``sender`` answers (its In-Reply-To and
    References), when ``sender`` is one of that forward's recipients; else None
    (someone else quoting the thread is not taken for the third party)."""
    wanted = [
        value.strip().strip("<>")
        for value in message_ids
        if FORWARD_ID_MARK in value  # only our forwards' ids: no query otherwise
    ]
    if not wanted or not sender:
        return None
    candidates = (
        Interaction.objects.filter(
            HAS_MESSAGE_ID,
            message_id__in=wanted[:50],
            direction=Direction.OUTBOUND,
            channel=Channel.EMAIL,
            case__isnull=False,
        )
        .select_related("case", "customer")
        .order_by("-occurred_at", "-id")
    )
    address = sender.strip().lower()
    for interaction in candidates:
        metadata = interaction.metadata or {}
        if metadata.get("kind") != InteractionKind.FORWARD:
            continue
        if address in {str(value).lower() for value in metadata.get("to") or []}:
            return interaction
    return None


@transaction.atomic
def case_record_third_party(
    *,
    forward: Interaction,
    sender: str,
    sender_name: str = "",
    body_text: str,
    body_html: str = "",
    subject: str = "",
    external_id: str = "",
    message_id: str = "",
    occurred_at: dt.datetime | None = None,
    attachments: Iterable[AttachmentIn] = (),
    metadata: dict[str, Any] | None = None,
) -> Interaction:
    """A third party's answer to ``forward``, on the forward's case: an inbound
    email of kind ``third_party`` naming who wrote it. The case is not reopened,
    no customer clock starts; its last activity moves."""
    case = forward.case
    if case is None:
        raise ValidationError(_("The forward has no case."))
    case = _lock(case)
    recorded = interaction_record(
        actor=None,
        customer=case.customer,
        case=case,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        external_id=external_id,
        message_id=message_id,
        occurred_at=occurred_at,
        attachments=attachments,
        metadata=(metadata or {})
        | {
            "kind": InteractionKind.THIRD_PARTY,
            "third_party": {"address": sender, "name": sender_name},
            "forward_id": forward.pk,
        },
    )
    if recorded.created:
        stamp = recorded.interaction.occurred_at
        _write(
            case,
            expected_version=None,
            changes={"last_activity_at": max(stamp, case.last_activity_at)},
            is_locked=True,
        )
    return recorded.interaction
