"""A worker killed with SIGKILL in the middle of an event delivery: another worker
finds the abandoned task through the heartbeat lease and the delivery happens once.

The workers are real ``amiable worker`` processes on the test database; their
handler blocks until the test opens a gate (``tests/jobs/crash_handlers.py``).
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from amiable.audit.models import AuditEvent
from amiable.events.catalogue import CaseAssigned
from amiable.events.models import EventDelivery
from amiable.events.registry import handler_unregister
from amiable.events.services import event_emit
from tests.jobs.crash_handlers import (
    HANDLED,
    blocking_handler,
    blocking_handler_register,
)

TIMEOUT = 60
HANDLER = f"{blocking_handler.__module__}.{blocking_handler.__qualname__}"


@pytest.fixture
def blocking_handler_registered() -> Iterator[None]:
    blocking_handler_register()
    yield
    handler_unregister(HANDLER)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _tasks() -> list[tuple[str, str, int]]:
    return [
        (
            row.status,
            row.exception_class_path.rsplit(".", 1)[-1],
            row.args_kwargs["kwargs"].get("task_attempt", 1),
        )
        for row in DBTaskResult.objects.filter(
            task_path="amiable.events.tasks.event_deliver_task"
        ).order_by("enqueued_at")
    ]


def test_a_killed_worker_s_delivery_is_retried_and_happens_once(
    blocking_handler_registered: None,
    start_worker: Callable[[], subprocess.Popen[str]],
    tmp_path: Path,
) -> None:
    with transaction.atomic():
        event = event_emit(
            CaseAssigned(
                case_id=1, customer_id=1, previous_assignee_id=None, assignee_id=2
            )
        )
    first = start_worker()
    _wait_for(lambda: (tmp_path / f"started-{first.pid}").exists(), "the handler")

    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    stranded = _tasks()
    (tmp_path / "open").touch()
    second = start_worker()
    _wait_for(
        lambda: EventDelivery.objects.filter(event=event).exists(),
        "the retried delivery",
    )
    time.sleep(1.5)  # time for a second delivery to show itself, were there one
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=20)

    assert stranded == [("RUNNING", "", 1)]
    assert _tasks() == [("FAILED", "TaskRetryScheduled", 1), ("SUCCESSFUL", "", 2)]
    assert EventDelivery.objects.filter(event=event, handler=HANDLER).count() == 1
    assert AuditEvent.objects.filter(action=HANDLED).count() == 1
    assert sorted(path.name for path in tmp_path.glob("started-*")) == sorted(
        [f"started-{first.pid}", f"started-{second.pid}"]
    )
    assert second.returncode == 0
