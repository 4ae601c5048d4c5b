"""Emitting domain events and delivering them to their handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from amiable.core.clock import now
from amiable.core.errors import NotFoundError
from amiable.core.request_context import current_request_id
from amiable.core.unit_of_work import insert_later
from amiable.events.catalogue import EVENT_TYPES, Event
from amiable.events.models import DomainEvent, EventDelivery
from amiable.events.registry import handler_get, handlers_for

if TYPE_CHECKING:
    from amiable.accounts.models import User


def event_emit(event: Event, *, actor: User | None = None) -> DomainEvent:
    """Store ``event`` in the current transaction; after commit, enqueue one delivery
    task per handler. Call it from the service that made the change, inside its
    ``transaction.atomic``: a rolled-back change emits nothing. Inside a unit of
    work (``core.unit_of_work``) the row is written with the unit's other events
    in one bulk insert, just before it commits."""
    row = DomainEvent(
        name=event.name,
        payload=event.model_dump(mode="json"),
        actor=actor,
        occurred_at=now(),
        request_id=current_request_id(),
    )
    handler_names = [
        handler.name for handler in handlers_for(event.name) if handler.wants(event)
    ]

    def enqueue_after_commit() -> None:
        if handler_names:
            transaction.on_commit(lambda: deliveries_enqueue(row.pk, handler_names))

    if not insert_later(row, after=enqueue_after_commit):
        row.save(force_insert=True)
        enqueue_after_commit()
    return row


def deliveries_enqueue(event_id: int, handler_names: list[str]) -> None:
    """Enqueue one delivery task per handler (after commit: callers' business)."""
    from amiable.events.tasks import event_deliver_task

    for name in handler_names:
        event_deliver_task.enqueue(event_id=event_id, handler=name)


def event_load(row: DomainEvent) -> Event:
    """The typed event of a stored row."""
    return EVENT_TYPES[row.name].model_validate(row.payload)


def event_deliver(*, event_id: int, handler: str) -> bool:
    """Run ``handler`` on the event once. Returns False when it was already handled.

    The delivery row is inserted first, in the handler's own transaction: a second
    worker on the same (event, handler) waits, then finds it and stops; a handler
    that raises rolls its delivery back, so the retried task runs it again.
    Raises NotFoundError for an unknown event or handler.
    """
    registered = handler_get(handler)
    row = DomainEvent.objects.filter(pk=event_id).first()
    if registered is None or row is None:
        raise NotFoundError(f"no event {event_id} or no handler {handler!r}")
    try:
        with transaction.atomic():
            EventDelivery.objects.create(event=row, handler=handler, delivered_at=now())
            registered.function(event_load(row))
    except IntegrityError:
        if EventDelivery.objects.filter(event=row, handler=handler).exists():
            return False
        raise
    return True
