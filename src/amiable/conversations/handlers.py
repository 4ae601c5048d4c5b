"""How conversations react to the catalogue events (``amiable.events``)."""

from __future__ import annotations

from amiable.conversations.delivery import (
    interaction_deliver,
    interaction_record_delivery_failure,
)
from amiable.core.tasks import TaskFailure
from amiable.events.catalogue import InteractionDeliveryRequested
from amiable.events.registry import event_handler


def _delivery_failed(event: InteractionDeliveryRequested, failure: TaskFailure) -> None:
    interaction_record_delivery_failure(
        interaction_id=event.interaction_id,
        error=failure.error,
        attempt=failure.attempt,
        max_attempts=failure.max_attempts,
        retry_at=failure.retry_at,
    )


@event_handler(InteractionDeliveryRequested, on_failure=_delivery_failed)
def interaction_deliver_on_request(event: InteractionDeliveryRequested) -> None:
    """Send an outbound message (idempotent), retried with backoff; each failed
    attempt is written on the interaction, the last one reported on the case.
    Stored as an event with the message, the request survives a process that
    dies right after the commit: the relay delivers it."""
    interaction_deliver(interaction_id=event.interaction_id)
