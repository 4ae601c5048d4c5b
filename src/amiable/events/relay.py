"""The outbox relay: deliveries an event should have had and never got.

``event_emit`` enqueues each delivery after the emitting transaction commits. Two
losses leave an event without it: the process that committed was killed before
enqueueing (a web process stopped by SIGKILL, a host lost), or the task was lost
with its worker and not retried (a backend without a lease, a task that is not a
``retrying_task``). Every minute the relay looks at the events that matured
(older than ``AMIABLE_EVENTS_RELAY_AFTER_SECONDS``, within the hour before that),
finds the handlers that want each one and have no ``EventDelivery`` row, enqueues
those deliveries, and marks the event ``relayed_at``: an event is relayed once, so
a handler that keeps failing gets one more cycle of retries, not one a minute.
Delivery is idempotent, so relaying one whose task was only slow is harmless.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from amiable.core.clock import now
from amiable.events.catalogue import EVENT_TYPES
from amiable.events.models import DomainEvent, EventDelivery
from amiable.events.registry import handlers_for
from amiable.events.services import deliveries_enqueue

LOOKBACK = dt.timedelta(hours=1)
BATCH = 500


@dataclass(frozen=True)
class Relayed:
    event_id: int
    handlers: tuple[str, ...]


def _missing(row: DomainEvent, delivered: set[str]) -> tuple[str, ...]:
    event_type = EVENT_TYPES.get(row.name)
    if event_type is None:
        return ()
    event = event_type.model_validate(row.payload)
    return tuple(
        handler.name
        for handler in handlers_for(row.name)
        if handler.name not in delivered and handler.wants(event)
    )


def events_relay(*, at: dt.datetime | None = None) -> list[Relayed]:
    """Enqueue the missing deliveries of matured events, once per event; return
    what was relayed. Two workers relaying at once relay an event once (the mark
    is a conditional UPDATE taken before the enqueue)."""
    stamp = at or now()
    matured = stamp - dt.timedelta(seconds=settings.AMIABLE_EVENTS_RELAY_AFTER_SECONDS)
    rows = list(
        DomainEvent.objects.filter(
            occurred_at__lte=matured,
            occurred_at__gt=matured - LOOKBACK,
            relayed_at__isnull=True,
        )
        .only("id", "name", "payload")
        .order_by("occurred_at", "id")[:BATCH]
    )
    delivered: dict[int, set[str]] = defaultdict(set)
    for event_id, handler in EventDelivery.objects.filter(
        event_id__in=[row.pk for row in rows]
    ).values_list("event_id", "handler"):
        delivered[event_id].add(handler)
    relayed: list[Relayed] = []
    for row in rows:
        missing = _missing(row, delivered[row.pk])
        if not missing:
            continue
        with transaction.atomic():
            taken = DomainEvent.objects.filter(
                pk=row.pk, relayed_at__isnull=True
            ).update(relayed_at=stamp)
            if taken:
                deliveries_enqueue(row.pk, list(missing))
        if taken:
            relayed.append(Relayed(event_id=row.pk, handlers=missing))
    return relayed
