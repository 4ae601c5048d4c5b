"""Messages on a case: replies, internal notes, phone calls and inbound messages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import (
    Case,
    CaseStatus,
)
from amiable.cases.selectors.replies import case_reply_sender
from amiable.cases.services.drafts import reply_draft_discard
from amiable.cases.services.sla_clocks import (
    sla_on_customer_message,
    sla_on_response,
)
from amiable.cases.services.status import case_change_status
from amiable.cases.services.unread import case_customer_replied_notify
from amiable.cases.services.versioning import (
    _lock,
    _write,
    reply_meanwhile_check,
)
from amiable.conversations.attachments import AttachmentIn
from amiable.conversations.models import CallOutcome, Channel, Direction, Interaction
from amiable.conversations.services import (
    interaction_queue_delivery,
    interaction_record,
)
from amiable.core.errors import ValidationError
from amiable.core.unit_of_work import service_atomic
from amiable.customers.models import Customer

MAX_COPIES = 10


def _copies(field: str, addresses: Iterable[str]) -> list[str]:
    """Valid, distinct CC or BCC addresses. Raises ValidationError naming ``field``."""
    cleaned: list[str] = []
    for address in addresses:
        address = address.strip()
        if not address or address.lower() in {seen.lower() for seen in cleaned}:
            continue
        try:
            validate_email(address)
        except DjangoValidationError as exc:
            raise ValidationError(
                _("The reply cannot be sent."),
                fields={
                    field: [
                        _("“%(address)s” is not a valid email address.")
                        % {"address": address}
                    ]
                },
            ) from exc
        cleaned.append(address)
    if len(cleaned) > MAX_COPIES:
        raise ValidationError(
            _("The reply cannot be sent."),
            fields={field: [_("At most %(count)d addresses.") % {"count": MAX_COPIES}]},
        )
    return cleaned


def _email_metadata(case: Case, cc: list[str], bcc: list[str]) -> dict[str, Any]:
    """What delivery needs beyond the text: the copies, and the mailbox the
    customer wrote to (its address, name and signature) when we know it."""
    metadata: dict[str, Any] = {}
    if cc:
        metadata["cc"] = cc
    if bcc:
        metadata["bcc"] = bcc
    sender = case_reply_sender(case=case)
    if sender is not None:
        metadata.update(
            from_address=sender.address,
            from_name=sender.name,
            signature=sender.signature,
        )
    return metadata


CALL_OUTCOMES = set(CallOutcome.values)


@transaction.atomic
def case_reply(
    *,
    actor: User,
    case: Case,
    body_text: str,
    body_html: str = "",
    channel: str = Channel.EMAIL,
    attachments: Iterable[AttachmentIn] = (),
    status: str | None = None,
    expected_version: int | None = None,
    cc: Iterable[str] = (),
    bcc: Iterable[str] = (),
    seen_through: int | None = None,
    is_confirmed: bool = False,
) -> Interaction:
    """Send a public reply to the customer; queue its delivery after commit.

    Stamps the first response, stops the response SLA clocks, opens a new case,
    and optionally moves the case to ``status`` (e.g. waiting on the customer).
    An email goes from the mailbox the customer wrote to (with its signature), to
    the customer and the ``cc`` and ``bcc`` addresses. ``seen_through``: the
    latest interaction the agent saw; unless ``is_confirmed``, a reply of someone
    else after it refuses the send once (CaseRepliedMeanwhileError), while notes
    and the customer's messages do not. Raises ValidationError (a bad address,
    copies on another channel, an empty reply), AttachmentRejectedError,
    VersionConflictError.
    """
    if channel in {Channel.NOTE, Channel.SYSTEM}:
        raise ValidationError(
            _("A reply goes to the customer."),
            fields={"channel": [_("Use an internal note instead.")]},
        )
    copies = _copies("cc", cc), _copies("bcc", bcc)
    if channel != Channel.EMAIL and (copies[0] or copies[1]):
        raise ValidationError(
            _("The reply cannot be sent."),
            fields={"cc": [_("Copies are for emails only.")]},
        )
    case = _lock(case, expected_version=expected_version)
    if seen_through is not None and not is_confirmed:
        reply_meanwhile_check(case=case, seen_through=seen_through, actor=actor)
    metadata = _email_metadata(case, *copies) if channel == Channel.EMAIL else {}
    recorded = interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=channel,
        direction=Direction.OUTBOUND,
        subject=f"[{case.reference}] {case.subject}",
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
        metadata=metadata,
    )
    interaction = recorded.interaction
    stamp = interaction.occurred_at
    changes: dict[str, Any] = {"last_activity_at": stamp}
    if case.first_responded_at is None:
        changes["first_responded_at"] = stamp
    if case.status == CaseStatus.NEW:
        changes["status"] = CaseStatus.OPEN
    case = _write(case, expected_version=expected_version, changes=changes, actor=actor)
    sla_on_response(case=case, at=stamp)
    if status is not None and status != case.status:
        case_change_status(actor=actor, case=case, status=status)
    reply_draft_discard(actor=actor, case=case)
    interaction_queue_delivery(interaction=interaction)
    return interaction


@transaction.atomic
def case_add_note(
    *,
    actor: User,
    case: Case,
    body_text: str,
    attachments: Iterable[AttachmentIn] = (),
    expected_version: int | None = None,
) -> Interaction:
    """Add an internal note, visible to staff only."""
    recorded = interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=Channel.NOTE,
        direction=Direction.INTERNAL,
        body_text=body_text,
        attachments=attachments,
    )
    _write(
        case,
        expected_version=expected_version,
        actor=actor,
        changes={"last_activity_at": recorded.interaction.occurred_at},
    )
    return recorded.interaction


@transaction.atomic
def case_log_call(
    *,
    actor: User,
    case: Case,
    direction: str,
    duration_seconds: int,
    outcome: str,
    notes: str = "",
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Interaction:
    """Log a phone call on the case (an outbound answered call counts as a response)."""
    errors: dict[str, list[str]] = {}
    if direction not in {Direction.INBOUND, Direction.OUTBOUND}:
        errors["direction"] = [_("Inbound or outbound.")]
    if duration_seconds < 0 or duration_seconds > 24 * 3600:
        errors["duration_seconds"] = [_("Between 0 and 24 hours.")]
    if outcome not in CALL_OUTCOMES:
        errors["outcome"] = [_("Unknown outcome.")]
    if errors:
        raise ValidationError(_("The call cannot be logged."), fields=errors)
    case = _lock(case, expected_version=expected_version)
    recorded = interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=Channel.PHONE,
        direction=direction,
        body_text=notes,
        occurred_at=occurred_at,
        time_spent_seconds=duration_seconds,
        metadata={"duration_seconds": duration_seconds, "outcome": outcome},
    )
    stamp = recorded.interaction.occurred_at
    changes: dict[str, Any] = {"last_activity_at": max(stamp, case.last_activity_at)}
    if (
        direction == Direction.OUTBOUND
        and outcome == "answered"
        and case.first_responded_at is None
    ):
        changes["first_responded_at"] = stamp
    case = _write(case, expected_version=expected_version, changes=changes, actor=actor)
    if direction == Direction.OUTBOUND and outcome == "answered":
        sla_on_response(case=case, at=stamp)
    return recorded.interaction


@service_atomic
def case_record_inbound(
    *,
    customer: Customer,
    case: Case,
    channel: str,
    body_text: str,
    body_html: str = "",
    subject: str = "",
    external_id: str = "",
    occurred_at: dt.datetime | None = None,
    attachments: Iterable[AttachmentIn] = (),
    message_id: str = "",
    metadata: dict[str, Any] | None = None,
    is_locked: bool = False,
) -> Interaction:
    """A customer's message on an existing case: a waiting case goes back to work, a
    resolved or closed one reopens (counted); after our first answer it starts a
    next-response SLA clock; the assignee is notified (the case's unread mark).
    ``is_locked``: the caller read ``case`` in this
    transaction under its row lock (see ``_lock``)."""
    case = _lock(case, is_locked=is_locked)
    recorded = interaction_record(
        actor=None,
        customer=customer,
        case=case,
        channel=channel,
        direction=Direction.INBOUND,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        external_id=external_id,
        occurred_at=occurred_at,
        attachments=attachments,
        message_id=message_id,
        metadata=metadata,
    )
    if recorded.created:
        stamp = recorded.interaction.occurred_at
        changes: dict[str, Any] = {
            "last_activity_at": max(stamp, case.last_activity_at)
        }
        if case.status in {
            CaseStatus.WAITING_CUSTOMER,
            CaseStatus.RESOLVED,
            CaseStatus.CLOSED,
        }:
            changes.update(status=CaseStatus.OPEN, resolved_at=None, closed_at=None)
        case = _write(case, expected_version=None, changes=changes, is_locked=True)
        sla_on_customer_message(case=case, at=stamp)
        case_customer_replied_notify(case=case, interaction=recorded.interaction)
    return recorded.interaction
