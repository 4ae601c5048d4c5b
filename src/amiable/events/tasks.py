"""Delivering one domain event to one handler, retried with backoff."""

from __future__ import annotations

from amiable.core.tasks import TaskFailure, retrying_task
from amiable.events.models import DomainEvent
from amiable.events.registry import handler_get
from amiable.events.relay import events_relay
from amiable.events.services import event_deliver, event_load


def _handler_failed(failure: TaskFailure) -> None:
    """Pass a failed attempt to the handler's own ``on_failure``, if it has one."""
    handler = handler_get(str(failure.kwargs.get("handler", "")))
    event_id = failure.kwargs.get("event_id")
    if handler is None or handler.on_failure is None or not isinstance(event_id, int):
        return
    row = DomainEvent.objects.filter(pk=event_id).first()
    if row is not None:
        handler.on_failure(event_load(row), failure)


@retrying_task(on_failure=_handler_failed)
def event_deliver_task(*, event_id: int, handler: str) -> bool:
    """Run one handler on one event (idempotent); False when already done."""
    return event_deliver(event_id=event_id, handler=handler)


@retrying_task()
def events_relay_task() -> int:
    """Enqueue the deliveries that matured events still miss (periodic)."""
    return len(events_relay())
