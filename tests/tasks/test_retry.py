"""Retry with backoff, on the immediate backend and on the database backend."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.core.clock import now
from amiable.core.tasks import ATTEMPT_KWARG, backoff_delay
from tests.tasks.sample_tasks import CALLS, add_task, always_failing_task, flaky_task

RETRY_PATH = "amiable.core.tasks.TaskRetryScheduled"
FAILURE_PATH = "tests.tasks.sample_tasks.CarrierDownError"


def _key() -> str:
    return uuid.uuid4().hex


def _attempts() -> list[tuple[int, str, str]]:
    rows = DBTaskResult.objects.all()
    return sorted(
        (
            int(row.args_kwargs["kwargs"].get(ATTEMPT_KWARG, 1)),
            row.status,
            row.exception_class_path,
        )
        for row in rows
    )


@pytest.mark.parametrize(
    ("attempt", "seconds"), [(1, 30), (2, 60), (3, 120), (4, 240), (12, 21600)]
)
def test_backoff_doubles_from_the_base_up_to_a_cap(attempt: int, seconds: int) -> None:
    assert backoff_delay(attempt, base_seconds=30) == dt.timedelta(seconds=seconds)


def test_immediate_backend_retries_until_success(settings: SettingsWrapper) -> None:
    settings.TASK_MAX_ATTEMPTS = 5
    key = _key()

    result = flaky_task.enqueue(key=key, failures=2)

    assert CALLS[key] == 3
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class_path == RETRY_PATH


def test_immediate_backend_gives_up_after_the_last_attempt(
    settings: SettingsWrapper,
) -> None:
    settings.TASK_MAX_ATTEMPTS = 3
    key = _key()

    always_failing_task.enqueue(key=key)

    assert CALLS[key] == 3


def test_database_worker_runs_an_enqueued_task(
    database_tasks: None, run_db_worker: Callable[[], None]
) -> None:
    result = add_task.enqueue(2, 3)

    run_db_worker()

    result.refresh()
    assert (result.status, result.return_value) == (TaskResultStatus.SUCCESSFUL, 5)


def test_database_task_failing_twice_then_succeeding(
    database_tasks: None, run_db_worker: Callable[[], None]
) -> None:
    key = _key()
    flaky_task.enqueue(key=key, failures=2)

    run_db_worker()

    assert _attempts() == [
        (1, TaskResultStatus.FAILED, RETRY_PATH),
        (2, TaskResultStatus.FAILED, RETRY_PATH),
        (3, TaskResultStatus.SUCCESSFUL, ""),
    ]
    assert DBTaskResult.objects.get(status="SUCCESSFUL").return_value == (
        "done after 3 calls"
    )


def test_database_retry_waits_for_the_backoff(
    database_tasks: None, run_db_worker: Callable[[], None], settings: SettingsWrapper
) -> None:
    settings.TASK_BACKOFF_SECONDS = 30
    key = _key()
    flaky_task.enqueue(key=key, failures=1)

    run_db_worker()

    waiting = DBTaskResult.objects.get(status="READY")
    delay = (waiting.run_after - now()).total_seconds()
    assert CALLS[key] == 1
    assert 25 < delay <= 30
    assert waiting.args_kwargs["kwargs"] == {
        "key": key,
        "failures": 1,
        ATTEMPT_KWARG: 2,
    }


def test_task_failing_every_attempt_is_listed_as_failed_in_the_admin(
    database_tasks: None, run_db_worker: Callable[[], None], admin_client: Client
) -> None:
    key = _key()
    always_failing_task.enqueue(key=key)

    run_db_worker()
    response = admin_client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist"),
        {"outcome": "failed"},
    )

    assert _attempts() == [
        (1, TaskResultStatus.FAILED, RETRY_PATH),
        (2, TaskResultStatus.FAILED, RETRY_PATH),
        (3, TaskResultStatus.FAILED, FAILURE_PATH),
    ]
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert f"{FAILURE_PATH}: carrier unreachable" in response.content.decode()
