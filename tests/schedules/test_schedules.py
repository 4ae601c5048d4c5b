"""Periodic jobs: enqueued when due, once however many workers look."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from amiable.core.schedules import Periodic, periodic_register, periodic_unregister
from amiable.schedules import services
from amiable.schedules.models import ScheduleState
from amiable.schedules.services import schedule_run_due
from tests.tasks import sample_tasks

START = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)  # the night Paris moves to CEST


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[dt.datetime]:
    current = [START]
    monkeypatch.setattr(services, "now", lambda: current[0])
    return current


@pytest.fixture
def job(db: None) -> Iterator[Periodic]:
    periodic = Periodic(
        name="tests.count",
        task="tests.tasks.sample_tasks.count_task",
        every=dt.timedelta(minutes=10),
    )
    periodic_register(periodic)
    sample_tasks.COUNTED.clear()
    yield periodic
    periodic_unregister(periodic.name)


def _ours(names: list[str]) -> list[str]:
    return [name for name in names if name.startswith("tests.")]


def test_a_due_job_runs_once_until_its_interval_passes(
    job: Periodic, clock: list[dt.datetime]
) -> None:
    first = schedule_run_due()
    again = schedule_run_due()
    clock[0] = START + dt.timedelta(minutes=9, seconds=59)
    too_soon = schedule_run_due()
    clock[0] = START + dt.timedelta(minutes=10)
    due = schedule_run_due()

    assert [_ours(run.enqueued) for run in (first, again, too_soon, due)] == [
        ["tests.count"],
        [],
        [],
        ["tests.count"],
    ]
    assert sample_tasks.COUNTED == [1, 1]
    state = ScheduleState.objects.get(name="tests.count")
    assert state.next_run_at == START + dt.timedelta(minutes=20)


def test_two_workers_claiming_at_once_enqueue_it_once(
    job: Periodic, clock: list[dt.datetime]
) -> None:
    ScheduleState.objects.create(name=job.name, next_run_at=START)

    claims = [services._claim(job), services._claim(job)]

    assert claims == [True, False]


def test_a_job_that_cannot_be_enqueued_is_reported_and_kept(
    db: None, clock: list[dt.datetime]
) -> None:
    broken = Periodic(
        name="tests.broken",
        task="tests.tasks.sample_tasks.no_such_task",
        every=dt.timedelta(hours=1),
    )
    periodic_register(broken)
    try:
        run = schedule_run_due()
    finally:
        periodic_unregister(broken.name)

    assert _ours(run.failed) == ["tests.broken"]
    assert ScheduleState.objects.get(name="tests.broken").last_error.startswith(
        "ImportError"
    )


def test_an_interval_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        periodic_register(
            Periodic(name="tests.never", task="x.y", every=dt.timedelta(0))
        )
