"""The sweep of abandoned tasks: only tasks of a worker whose lease expired, retried
through the retry layer, failed for good on their last attempt, never twice."""

from __future__ import annotations

import datetime as dt
import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings

from amiable.core.clock import now
from amiable.core.tasks import ATTEMPT_KWARG
from amiable.events.catalogue import CaseAssigned
from amiable.events.models import EventDelivery
from amiable.events.registry import event_handler, handler_unregister
from amiable.events.services import event_deliver, event_emit
from amiable.jobs.models import WorkerHeartbeat
from amiable.jobs.services import tasks_abandoned_sweep, worker_beat, worker_forget
from tests.tasks.sample_tasks import add_task, flaky_task

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _database_tasks(settings: Settings, transactional_db: None) -> None:
    settings.TASKS = DATABASE_TASKS
    settings.TASK_BACKOFF_SECONDS = 0
    settings.TASK_MAX_ATTEMPTS = 2
    settings.AMIABLE_WORKER_LEASE_SECONDS = 60


def _claimed(
    result_id: str, *, worker_id: str, minutes_ago: int
) -> DBTaskResult[Any, Any]:
    row = DBTaskResult.objects.get(pk=result_id)
    row.claim(worker_id)
    DBTaskResult.objects.filter(pk=row.pk).update(
        started_at=now() - dt.timedelta(minutes=minutes_ago)
    )
    return row


def _beat(worker_id: str, *, minutes_ago: int) -> None:
    worker_beat(worker_id=worker_id)
    WorkerHeartbeat.objects.filter(worker_id=worker_id).update(
        beat_at=now() - dt.timedelta(minutes=minutes_ago)
    )


def _states() -> list[tuple[str, str, int]]:
    return [
        (
            row.status,
            row.exception_class_path.rsplit(".", 1)[-1],
            row.args_kwargs["kwargs"].get("task_attempt", 1),
        )
        for row in DBTaskResult.objects.order_by("enqueued_at")
    ]


def test_a_task_of_a_dead_worker_is_failed_and_retried_once() -> None:
    result = flaky_task.enqueue(key="sweep-dead", failures=0)
    _claimed(result.id, worker_id="dead", minutes_ago=5)
    _beat("dead", minutes_ago=2)

    swept = tasks_abandoned_sweep()
    again = tasks_abandoned_sweep()

    assert [(task.worker_id, task.retried) for task in swept] == [("dead", True)]
    assert again == []
    assert _states() == [("FAILED", "TaskRetryScheduled", 1), ("READY", "", 2)]


def test_a_task_on_its_last_attempt_fails_for_good() -> None:
    result = flaky_task.enqueue(key="sweep-last", failures=0, **{ATTEMPT_KWARG: 2})
    _claimed(result.id, worker_id="gone", minutes_ago=5)  # never beat at all

    swept = tasks_abandoned_sweep()

    assert [(task.worker_id, task.retried) for task in swept] == [("gone", False)]
    assert _states() == [("FAILED", "WorkerLostError", 2)]


def test_a_plain_task_is_failed_not_retried() -> None:
    result = add_task.enqueue(2, 3)
    _claimed(result.id, worker_id="dead", minutes_ago=5)
    _beat("dead", minutes_ago=5)

    swept = tasks_abandoned_sweep()

    assert [task.retried for task in swept] == [False]
    assert _states() == [("FAILED", "WorkerLostError", 1)]


@pytest.mark.parametrize(
    ("started_minutes_ago", "beat_minutes_ago"),
    [(5, 0), (0, 5)],
    ids=["live-worker-long-task", "task-younger-than-the-lease"],
)
def test_a_live_or_recent_task_is_left_running(
    started_minutes_ago: int, beat_minutes_ago: int
) -> None:
    result = flaky_task.enqueue(key="sweep-live", failures=0)
    _claimed(result.id, worker_id="busy", minutes_ago=started_minutes_ago)
    _beat("busy", minutes_ago=beat_minutes_ago)

    swept = tasks_abandoned_sweep()

    assert swept == []
    assert _states() == [("RUNNING", "", 1)]


def test_a_worker_that_stops_cleanly_forgets_its_heartbeat() -> None:
    worker_beat(worker_id="clean")
    worker_beat(worker_id="clean")

    beats = WorkerHeartbeat.objects.count()
    worker_forget(worker_id="clean")

    assert beats == 1
    assert WorkerHeartbeat.objects.count() == 0


@pytest.fixture
def counted() -> Iterator[list[int]]:
    calls: list[int] = []

    @event_handler(CaseAssigned)
    def count_assignment(event: CaseAssigned) -> None:
        calls.append(event.case_id)

    yield calls
    handler_unregister(f"{count_assignment.__module__}.{count_assignment.__qualname__}")


def test_a_delivery_that_committed_before_its_worker_died_is_not_run_again(
    counted: list[int],
) -> None:
    """Killed between the delivery's commit and the task's success: the retry finds
    the delivery row and does nothing."""
    with transaction.atomic():
        event_emit(
            CaseAssigned(
                case_id=7, customer_id=1, previous_assignee_id=None, assignee_id=2
            )
        )
    row = DBTaskResult.objects.get()
    handler = row.args_kwargs["kwargs"]["handler"]
    event_deliver(event_id=row.args_kwargs["kwargs"]["event_id"], handler=handler)
    _claimed(str(row.pk), worker_id="dead", minutes_ago=5)

    swept = tasks_abandoned_sweep()
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
        )
    finally:
        for sig, previous in saved.items():
            signal.signal(sig, previous)

    assert [task.retried for task in swept] == [True]
    assert counted == [7]
    assert EventDelivery.objects.filter(handler=handler).count() == 1
    retried = DBTaskResult.objects.exclude(pk=row.pk).get()
    assert (retried.status, retried.return_value) == ("SUCCESSFUL", False)
