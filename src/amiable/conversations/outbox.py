"""The outbox of the channels we cannot send on ourselves (social messages, chat,
the website's form): a reply waits there, pending, until the integration that
can send it reads it and acknowledges it as sent or failed. Its status is
mirrored on the interaction (``metadata["delivery"]``), so the timeline shows it.

Reading and acknowledging are for administrators (the integration's API token
belongs to an administrator account): the outbox holds every team's replies."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import Role, User
from amiable.audit.services import audit_record
from amiable.conversations.models import (
    IDENTITY_KIND_OF_CHANNEL,
    Direction,
    Interaction,
    OutboxMessage,
    OutboxStatus,
)
from amiable.core.clock import now
from amiable.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from amiable.customers.models import Identity


def can_relay_messages(user: User) -> bool:
    """Who may read the outbox and acknowledge its messages: administrators."""
    return user.is_superuser or user.role == Role.ADMIN


def _require_relay(actor: User) -> None:
    if not can_relay_messages(actor):
        raise PermissionDeniedError(
            _("Only an administrator's token may read or acknowledge the outbox.")
        )


def _recipient(interaction: Interaction) -> dict[str, Any]:
    """The customer's identity on the channel, and the message this answers."""
    recipient: dict[str, Any] = {"name": interaction.customer.name}
    kind = IDENTITY_KIND_OF_CHANNEL.get(interaction.channel, "")
    identity = (
        Identity.objects.filter(customer_id=interaction.customer_id, kind=kind)
        .order_by("-is_primary", "id")
        .values("normalized", "platform")
        .first()
        if kind
        else None
    )
    if identity is not None:
        recipient.update(handle=identity["normalized"], platform=identity["platform"])
    answered = (
        Interaction.objects.filter(
            case_id=interaction.case_id,
            channel=interaction.channel,
            direction=Direction.INBOUND,
            occurred_at__lte=interaction.occurred_at,
        )
        .exclude(external_id="")
        .order_by("-occurred_at", "-id")
        .values_list("external_id", flat=True)
        .first()
        if interaction.case_id is not None
        else None
    )
    if answered:
        recipient["reply_to_external_id"] = answered
    return recipient


def outbox_enqueue(*, interaction: Interaction, metadata: dict[str, Any]) -> str:
    """Put an outbound reply in the outbox, once: "queued", or "already_queued"
    when it is there. Called by delivery in its transaction, the interaction
    locked."""
    _message, created = OutboxMessage.objects.get_or_create(
        interaction=interaction,
        defaults={
            "channel": interaction.channel,
            "recipient": _recipient(interaction),
        },
    )
    if not created:
        return "already_queued"
    metadata.update(delivery="queued", queued_at=now().isoformat())
    Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
    return "queued"


def outbox_list(
    *, actor: User, channel: str = "", status: str = OutboxStatus.PENDING
) -> QuerySet[OutboxMessage]:
    """The outbox, oldest first, for the integration (keyset-paginated by id)."""
    _require_relay(actor)
    queryset = OutboxMessage.objects.select_related(
        "interaction__case", "interaction__customer"
    )
    if status:
        queryset = queryset.filter(status=status)
    if channel:
        queryset = queryset.filter(channel=channel)
    return queryset


@transaction.atomic
def outbox_ack(
    *,
    actor: User,
    message_id: int,
    status: str,
    provider_id: str = "",
    error: str = "",
) -> OutboxMessage:
    """The integration says it sent (or could not send) one message. Sending the
    same acknowledgement again changes nothing; a sent message stays sent (409).
    A failure is reported on the case like a failed email."""
    _require_relay(actor)
    message = (
        OutboxMessage.objects.select_for_update(of=("self",))
        .select_related("interaction")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise NotFoundError(_("No such outbox message."))
    if message.status == status and (
        message.provider_id == provider_id or status == OutboxStatus.FAILED
    ):
        return message  # a retried acknowledgement
    if message.status == OutboxStatus.SENT:
        raise ConflictError(
            _("This message was already acknowledged as sent."),
            fields={"status": [message.status]},
        )
    before = {"status": message.status}
    message.status = status
    message.provider_id = provider_id.strip()[:255]
    message.error = error.strip()[:500] if status == OutboxStatus.FAILED else ""
    message.acknowledged_at = now()
    message.save(
        update_fields=[
            "status",
            "provider_id",
            "error",
            "acknowledged_at",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="outbox.ack",
        instance=message,
        before=before,
        after={"status": message.status, "provider_id": message.provider_id},
    )
    interaction = message.interaction
    metadata = dict(interaction.metadata or {})
    if status == OutboxStatus.SENT:
        metadata.update(
            delivery="sent", provider_id=message.provider_id, sent_at=now().isoformat()
        )
        Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
    else:
        from amiable.conversations.delivery import (
            interaction_record_delivery_failure,
        )

        interaction_record_delivery_failure(
            interaction_id=interaction.pk,
            error=message.error or _("unknown error"),
            attempt=1,
            max_attempts=1,
            retry_at=None,
        )
    return message
