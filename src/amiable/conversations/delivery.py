"""Delivering outbound interactions to the customer (email for now)."""

from __future__ import annotations

import datetime as dt
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from amiable.conversations.models import Channel, Direction, Interaction
from amiable.core.clock import now
from amiable.customers.models import Identity, IdentityKind

MESSAGE_ID_DOMAIN = "amiable.localhost"


def _thread_ids(interaction: Interaction) -> list[str]:
    """Message-IDs of earlier emails on the same case, oldest first."""
    if interaction.case_id is None:
        return []
    earlier = (
        Interaction.objects.filter(case_id=interaction.case_id, channel=Channel.EMAIL)
        .exclude(pk=interaction.pk)
        .filter(occurred_at__lte=interaction.occurred_at)
        .order_by("occurred_at", "id")
        .values_list("metadata", "external_id", "direction")
    )
    ids: list[str] = []
    for metadata, external_id, direction in earlier:
        message_id = (metadata or {}).get("message_id") or (
            external_id if direction == Direction.INBOUND else ""
        )
        if message_id:
            ids.append(message_id if message_id.startswith("<") else f"<{message_id}>")
    return ids


@transaction.atomic
def interaction_deliver(*, interaction_id: int) -> str:
    """Send one outbound email; idempotent (a delivered message is not sent again).

    Returns the delivery state: "sent", "already_sent", "no_address" or "skipped".
    Raises whatever the mail backend raises, so the task is retried.
    """
    interaction = (
        # of=("self",): PostgreSQL cannot lock the nullable side of the case join.
        Interaction.objects.select_for_update(of=("self",))
        .select_related("customer", "case")
        .get(pk=interaction_id)
    )
    metadata = dict(interaction.metadata or {})
    if metadata.get("delivery") == "sent":
        return "already_sent"
    if (
        interaction.direction != Direction.OUTBOUND
        or interaction.channel != Channel.EMAIL
    ):
        return "skipped"
    address = (
        Identity.objects.filter(customer=interaction.customer, kind=IdentityKind.EMAIL)
        .order_by("-is_primary", "id")
        .values_list("normalized", flat=True)
        .first()
    )
    if address is None:
        metadata.update(delivery="no_address")
        Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
        return "no_address"
    message_id = metadata.get("message_id") or make_msgid(domain=MESSAGE_ID_DOMAIN)
    thread = _thread_ids(interaction)
    headers = {"Message-ID": message_id}
    if thread:
        headers["In-Reply-To"] = thread[-1]
        headers["References"] = " ".join(thread[-20:])
    message = EmailMultiAlternatives(
        subject=" ".join(interaction.subject.split()),  # one header line, always
        body=interaction.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=headers,
    )
    if interaction.body_html:
        message.attach_alternative(interaction.body_html, "text/html")
    message.send(fail_silently=False)
    metadata.update(delivery="sent", message_id=message_id, sent_at=now().isoformat())
    Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
    return "sent"


@transaction.atomic
def interaction_record_delivery_failure(
    *,
    interaction_id: int,
    error: str,
    attempt: int,
    max_attempts: int,
    retry_at: dt.datetime | None,
) -> None:
    """Write a failed delivery attempt onto the interaction's metadata.

    ``delivery`` becomes "retrying" (with ``delivery_retry_at``) or, after the last
    attempt, "failed"; the case page shows ``delivery_error``. A message already sent
    is left alone.
    """
    interaction = (
        Interaction.objects.select_for_update().filter(pk=interaction_id).first()
    )
    if interaction is None:
        return
    metadata = dict(interaction.metadata or {})
    if metadata.get("delivery") == "sent":
        return
    metadata.update(
        delivery="retrying" if retry_at is not None else "failed",
        delivery_error=error,
        delivery_attempts=attempt,
        delivery_max_attempts=max_attempts,
        delivery_retry_at=retry_at.isoformat() if retry_at is not None else None,
        delivery_failed_at=now().isoformat(),
    )
    Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
