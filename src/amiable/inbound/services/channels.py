"""Messages from the other channels (SMS, social, reviews, web form, chat): one
customer matched by any identity, one case found or opened, one interaction, once
per (webhook source, external id)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.cases.models import OPEN_STATUSES, Case, CaseKind
from amiable.cases.services import case_open, case_record_inbound
from amiable.conversations.models import HAS_EXTERNAL_ID, Direction, Interaction
from amiable.conversations.services import (
    interaction_annotate,
    interaction_record,
)
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.customers.models import Customer
from amiable.customers.services import customer_find_or_create_by_identity
from amiable.inbound.errors import WebhookReplayError
from amiable.inbound.models import WebhookMessage, WebhookReceipt, WebhookSource
from amiable.inbound.threading import reference_in

REUSE_WINDOW = dt.timedelta(days=7)
WEBHOOK_RECEIPT_KEEP = dt.timedelta(days=1)


@dataclass(frozen=True)
class IdentityRef:
    kind: str
    value: str
    platform: str = ""


@dataclass(frozen=True)
class ChannelMessage:
    """A message from a webhook, normalised."""

    channel: str
    external_id: str
    identities: list[IdentityRef]
    name: str
    text: str
    subject: str = ""
    language: str = "fr"
    occurred_at: dt.datetime | None = None
    case_reference: str = ""
    reply_to_external_id: str = ""
    reuse_open_case: bool = True  # continue the customer's recent open case
    open_case: bool = True  # else only the timeline
    case_kind: str = CaseKind.QUESTION
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ChannelResult:
    interaction: Interaction
    case: Case | None
    created: bool


def receipt_claim(source: WebhookSource, nonce: str) -> None:
    try:
        with transaction.atomic():
            WebhookReceipt.objects.create(source=source, nonce=nonce, received_at=now())
    except IntegrityError as exc:
        raise WebhookReplayError(
            _("This request was already received (same nonce)."),
            fields={"X-Amiable-Nonce": [_("Already used.")]},
        ) from exc


def _customer(message: ChannelMessage) -> Customer:
    """The customer of the first identity given (created if unknown); the other
    identities are only used to find an existing customer."""
    if not message.identities:
        raise ValidationError(
            _("The message names nobody we can recognise."),
            fields={"from": [_("An email, a phone number or a handle is required.")]},
        )
    first = message.identities[0]
    return customer_find_or_create_by_identity(
        actor=None,
        kind=first.kind,
        value=first.value,
        platform=first.platform,
        name=message.name,
        preferred_language=message.language,
    ).customer


def _case_for(message: ChannelMessage, customer: Customer) -> Case | None:
    reference = message.case_reference or reference_in(message.text)
    if reference:
        case = Case.objects.filter(reference=reference, customer=customer).first()
        if case is not None:
            return case
    if message.reply_to_external_id:
        earlier = (
            Interaction.objects.filter(
                HAS_EXTERNAL_ID,
                channel=message.channel,
                external_id=message.reply_to_external_id,
                customer=customer,
                case__isnull=False,
            )
            .select_related("case")
            .first()
        )
        if earlier is not None:
            return earlier.case
    if message.reuse_open_case:
        return (
            Case.objects.filter(
                customer=customer,
                channel=message.channel,
                status__in=OPEN_STATUSES,
                last_activity_at__gte=now() - REUSE_WINDOW,
            )
            .order_by("-last_activity_at", "-id")
            .first()
        )
    return None


@transaction.atomic
def channel_message_receive(
    *, source: WebhookSource, nonce: str, message: ChannelMessage
) -> ChannelResult:
    """Record a webhook message on the customer's timeline, once.

    Raises WebhookReplayError (409) for a nonce already seen and ValidationError
    for a message naming nobody (or an invalid phone number, email, handle).
    A second delivery of the same external id returns the stored interaction.
    """
    receipt_claim(source, nonce)
    external_id = f"{source.slug}:{message.external_id.strip()}"[:255]
    try:
        with transaction.atomic():
            ledger = WebhookMessage.objects.create(
                source=source, external_id=external_id[:200], received_at=now()
            )
    except IntegrityError:
        stored = WebhookMessage.objects.select_related("interaction__case").get(
            source=source, external_id=external_id[:200]
        )
        if stored.interaction is None:
            raise
        return ChannelResult(
            interaction=stored.interaction, case=stored.interaction.case, created=False
        )
    customer = _customer(message)
    metadata = {**message.metadata, "webhook_source": source.slug}
    case = _case_for(message, customer) if message.open_case else None
    if case is None and message.open_case:
        case = case_open(
            actor=None,
            customer=customer,
            subject=(message.subject or message.text.split("\n")[0])[:120]
            or _("(no subject)"),
            kind=message.case_kind,
            channel=message.channel,
            team=source.team,
            occurred_at=now(),
        )
    if case is not None:
        interaction = case_record_inbound(
            customer=customer,
            case=case,
            channel=message.channel,
            body_text=message.text,
            subject=message.subject,
            external_id=external_id,
            occurred_at=message.occurred_at,
        )
        interaction_annotate(interaction=interaction, metadata=metadata)
    else:
        interaction = interaction_record(
            actor=None,
            customer=customer,
            channel=message.channel,
            direction=Direction.INBOUND,
            body_text=message.text,
            subject=message.subject,
            external_id=external_id,
            occurred_at=message.occurred_at,
            metadata=metadata,
        ).interaction
    ledger.interaction = interaction
    ledger.save(update_fields=["interaction"])
    WebhookSource.objects.filter(pk=source.pk).update(last_received_at=now())
    return ChannelResult(interaction=interaction, case=case, created=True)


def webhook_receipts_purge() -> int:
    """Delete nonces older than a day (far past the signature window)."""
    deleted, _counts = WebhookReceipt.objects.filter(
        received_at__lt=now() - WEBHOOK_RECEIPT_KEEP
    ).delete()
    return deleted
