"""The outbox relay: an event whose deliveries were never enqueued (the process that
committed it was lost) gets them once it has matured, and only once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from amiable.core.clock import now
from amiable.core.schedules import periodic_jobs
from amiable.events.catalogue import CaseAssigned, Event
from amiable.events.models import DomainEvent, EventDelivery
from amiable.events.registry import event_handler, handler_unregister
from amiable.events.relay import Relayed, events_relay
from amiable.events.services import event_deliver, event_emit

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
ON_ANY = "tests.events.test_relay.heard.<locals>.on_assigned"
ON_TWO = "tests.events.test_relay.heard.<locals>.on_assigned_to_two"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline_tasks(settings: Settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.AMIABLE_EVENTS_RELAY_AFTER_SECONDS = 120


@pytest.fixture
def heard() -> Iterator[list[tuple[str, Event]]]:
    """Two handlers of CaseAssigned; the second only wants assignments to agent 2."""
    events: list[tuple[str, Event]] = []

    @event_handler(CaseAssigned)
    def on_assigned(event: CaseAssigned) -> None:
        events.append(("any", event))

    @event_handler(CaseAssigned, when=lambda event: event.assignee_id == 2)
    def on_assigned_to_two(event: CaseAssigned) -> None:
        events.append(("two", event))

    yield events
    for function in (on_assigned, on_assigned_to_two):
        handler_unregister(f"{function.__module__}.{function.__qualname__}")


def _lost_emit(capture: OnCommit, assignee: int) -> DomainEvent:
    """Emit and commit, but lose the enqueue (the process died after commit)."""
    with capture(execute=False), transaction.atomic():
        return event_emit(
            CaseAssigned(
                case_id=1,
                customer_id=1,
                previous_assignee_id=None,
                assignee_id=assignee,
            )
        )


def test_a_lost_enqueue_is_relayed_once_after_it_matured(
    heard: list[tuple[str, Event]],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    lost = _lost_emit(django_capture_on_commit_callbacks, assignee=2)
    early = lost.occurred_at + dt.timedelta(seconds=119)
    late = lost.occurred_at + dt.timedelta(seconds=121)

    before = events_relay(at=early)
    relayed = events_relay(at=late)
    again = events_relay(at=late + dt.timedelta(minutes=5))

    names = sorted(
        delivery.handler.rsplit(".", 1)[-1]
        for delivery in EventDelivery.objects.filter(event=lost)
    )
    assert before == []
    assert [(r.event_id, len(r.handlers)) for r in relayed] == [(lost.pk, 2)]
    assert again == []
    assert sorted(kind for kind, _event in heard) == ["any", "two"]
    assert names == ["on_assigned", "on_assigned_to_two"]
    lost.refresh_from_db()
    assert lost.relayed_at == late


def test_only_the_missing_handlers_that_want_the_event_are_relayed(
    heard: list[tuple[str, Event]],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    half = _lost_emit(django_capture_on_commit_callbacks, assignee=2)
    not_wanted = _lost_emit(django_capture_on_commit_callbacks, assignee=7)
    assert event_deliver(event_id=half.pk, handler=ON_ANY)
    heard.clear()

    relayed = events_relay(at=now() + dt.timedelta(minutes=3))

    assert sorted(relayed, key=lambda r: r.event_id) == [
        Relayed(event_id=half.pk, handlers=(ON_TWO,)),
        Relayed(event_id=not_wanted.pk, handlers=(ON_ANY,)),
    ]
    assert EventDelivery.objects.filter(event=half).count() == 2
    assert EventDelivery.objects.filter(event=not_wanted).count() == 1


def test_delivered_and_old_events_are_left_alone_in_few_queries(
    heard: list[tuple[str, Event]],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivered = [
            event_emit(
                CaseAssigned(
                    case_id=n, customer_id=1, previous_assignee_id=None, assignee_id=2
                )
            )
            for n in range(30)
        ]
    lost = _lost_emit(django_capture_on_commit_callbacks, assignee=3)
    heard.clear()

    with CaptureQueriesContext(connection) as queries:
        nothing = events_relay(at=lost.occurred_at + dt.timedelta(hours=1, minutes=3))
        fresh = events_relay(at=now() + dt.timedelta(minutes=3))

    assert nothing == []  # the lost one is older than the look-back by then
    assert [r.event_id for r in fresh] == [lost.pk]
    assert EventDelivery.objects.filter(event__in=delivered).count() == 60
    assert len(queries) <= 2 + 2 + 6  # two reads per run, then one relay


def test_the_relay_runs_every_minute() -> None:
    jobs = {job.name: job for job in periodic_jobs()}

    assert jobs["events.relay"].every == dt.timedelta(minutes=1)
    assert jobs["events.relay"].task == "amiable.events.tasks.events_relay_task"
