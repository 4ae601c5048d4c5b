"""Redis backend: a worker machine lost in the middle of an event delivery (the
worker and its work horse killed with SIGKILL). Another worker's maintenance finds
the job after its lease, the retry layer enqueues attempt 2, and the delivery
happens once (amiable.core.rq_backend)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import transaction

from amiable.audit.models import AuditEvent
from amiable.events.catalogue import CaseAssigned
from amiable.events.models import EventDelivery
from amiable.events.registry import handler_unregister
from amiable.events.services import event_emit
from tests.jobs.conftest import database_url
from tests.jobs.crash_handlers import (
    HANDLED,
    blocking_handler,
    blocking_handler_register,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
HANDLER = f"{blocking_handler.__module__}.{blocking_handler.__qualname__}"
ENQUEUE = (
    "import sys, django; django.setup()\n"
    "from amiable.events.tasks import event_deliver_task\n"
    "event_id, handler = int(sys.argv[1]), sys.argv[2]\n"
    "result = event_deliver_task.enqueue(event_id=event_id, handler=handler)\n"
    "print(result.id)\n"
)
STATUS = (
    "import sys, django; django.setup()\n"
    "from amiable.events.tasks import event_deliver_task\n"
    "result = event_deliver_task.get_result(sys.argv[1])\n"
    "errors = [error.exception_class_path for error in result.errors]\n"
    "print(result.status, *errors[-1:])\n"
)


@pytest.fixture
def rq_env(rq_redis_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "AMIABLE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database_url(),
        "AMIABLE_TASKS": "redis",
        "REDIS_URL": rq_redis_url,
        "AMIABLE_CRASH_DIR": str(tmp_path),
        "AMIABLE_WORKER_HEARTBEAT_SECONDS": "1",
        "AMIABLE_WORKER_LEASE_SECONDS": "3",
        "AMIABLE_TASK_BACKOFF_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
    }


@pytest.fixture
def start_worker(
    rq_env: dict[str, str],
) -> Iterator[Callable[[], subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-m", "tests.jobs.crash_worker", "--no-scheduler"],
            cwd=ROOT,
            env=rq_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def blocking_handler_registered() -> Iterator[None]:
    blocking_handler_register()
    yield
    handler_unregister(HANDLER)


def _python(code: str, env: dict[str, str], *args: str) -> str:
    completed = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout.strip()


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def test_a_lost_worker_s_job_is_retried_once_by_the_other_worker(
    blocking_handler_registered: None,
    start_worker: Callable[[], subprocess.Popen[str]],
    rq_env: dict[str, str],
    tmp_path: Path,
) -> None:
    with transaction.atomic():
        event = event_emit(
            CaseAssigned(
                case_id=1, customer_id=1, previous_assignee_id=None, assignee_id=2
            )
        )
    first_id = _python(ENQUEUE, rq_env, str(event.pk), HANDLER)
    first = start_worker()
    _wait_for(lambda: any(tmp_path.glob("started-*")), "the handler")
    horse = int(next(tmp_path.glob("started-*")).name.removeprefix("started-"))

    first.send_signal(signal.SIGKILL)  # the machine is gone: worker and horse
    os.kill(horse, signal.SIGKILL)
    first.wait(timeout=10)
    (tmp_path / "open").touch()
    second = start_worker()
    _wait_for(
        lambda: EventDelivery.objects.filter(event=event).exists(),
        "the retried delivery",
    )
    time.sleep(2)  # time for a second delivery to show itself, were there one
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=20)

    assert _python(STATUS, rq_env, first_id) == (
        "FAILED rq.exceptions.AbandonedJobError"
    )
    assert EventDelivery.objects.filter(event=event, handler=HANDLER).count() == 1
    assert AuditEvent.objects.filter(action=HANDLED).count() == 1
    assert len(list(tmp_path.glob("started-*"))) == 2
