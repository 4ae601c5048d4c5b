"""How conversations react to the catalogue events (``amiable.events``)."""

from __future__ import annotations

from amiable.conversations.delivery import interaction_deliver_requested
from amiable.events.catalogue import InteractionDeliveryRequested
from amiable.events.registry import event_handler


@event_handler(InteractionDeliveryRequested)
def interaction_deliver_on_request(event: InteractionDeliveryRequested) -> None:
    """The delivery's safety net: the task enqueued after commit normally sends
    first and this finds it done; it sends when that task was never enqueued (a
    process killed between the commit and the enqueue, then the relay)."""
    interaction_deliver_requested(interaction_id=event.interaction_id)
