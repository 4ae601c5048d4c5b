"""Delivering one domain event to one handler, retried with backoff."""

from __future__ import annotations

from amiable.core.tasks import retrying_task
from amiable.events.relay import events_relay
from amiable.events.services import event_deliver


@retrying_task()
def event_deliver_task(*, event_id: int, handler: str) -> bool:
    """Run one handler on one event (idempotent); False when already done."""
    return event_deliver(event_id=event_id, handler=handler)


@retrying_task()
def events_relay_task() -> int:
    """Enqueue the deliveries that matured events still miss (periodic)."""
    return len(events_relay())
