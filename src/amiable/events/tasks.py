"""Delivering one domain event to one handler, retried with backoff."""

from __future__ import annotations

from amiable.core.tasks import retrying_task
from amiable.events.services import event_deliver


@retrying_task()
def event_deliver_task(*, event_id: int, handler: str) -> bool:
    """Run one handler on one event (idempotent); False when already done."""
    return event_deliver(event_id=event_id, handler=handler)
