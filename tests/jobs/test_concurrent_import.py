"""A carrier import running in the background (as a worker runs it) while agents
open and list cases through the API: every request succeeds, on SQLite too, because
each batch holds the write lock for one short transaction only."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from amiable.accounts.models import Role, Team, User
from amiable.commerce.models import TrackingEvent
from amiable.commerce.services import TRACKING_IMPORT
from amiable.jobs.models import ImportJob, ImportState
from amiable.jobs.services import import_job_create, import_job_run
from tests.factories import CustomerFactory, ShipmentFactory, UserFactory

ROWS = 600
SHIPMENTS = 30
CLIENTS = 4
JSON = "application/json"


def _csv() -> bytes:
    lines = ["carrier,tracking_number,event_id,status,occurred_at,location"]
    for n in range(ROWS):
        number = f"BULK{n % (2 * SHIPMENTS)}"  # half known, half quarantined
        minute, second = divmod(n, 60)
        lines.append(
            f"DPD,{number},bulk-{n},in_transit,"
            f"2026-03-03T{8 + minute // 60:02d}:{minute % 60:02d}:{second:02d}Z,Lyon"
        )
    return ("\n".join(lines) + "\n").encode()


def _agent_loop(
    client: Client, customer_id: int, done: threading.Event, statuses: list[int]
) -> None:
    try:
        while not done.is_set():
            opened = client.post(
                "/api/v1/cases",
                data={"customer_id": customer_id, "subject": "Où est mon colis ?"},
                content_type=JSON,
            )
            listed = client.get("/api/v1/cases?limit=10")
            statuses.extend([opened.status_code, listed.status_code])
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_agents_work_without_a_single_error_while_a_big_import_runs(
    settings: Settings,
    supervisor: User,
    team: Team,
    token_for: Callable[[User], str],
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.AMIABLE_IMPORT_BATCH_ROWS = 100
    for n in range(SHIPMENTS):
        ShipmentFactory.create(carrier="DPD", tracking_number=f"BULK{n}")
    customer = CustomerFactory.create()
    clients = [
        Client(
            headers={
                "Authorization": "Bearer "
                + token_for(
                    UserFactory.create(username=f"agent{n}", role=Role.AGENT, team=team)
                )
            }
        )
        for n in range(CLIENTS)
    ]
    job = import_job_create(
        actor=supervisor, kind=TRACKING_IMPORT, content=_csv(), source_name="big.csv"
    )
    done = threading.Event()
    statuses: list[list[int]] = [[] for _ in clients]
    batch_seconds: list[float] = []
    last = [time.monotonic()]

    def progress(job: ImportJob) -> None:
        batch_seconds.append(time.monotonic() - last[0])
        last[0] = time.monotonic()

    agents = [
        threading.Thread(
            target=_agent_loop, args=(client, customer.pk, done, statuses[n])
        )
        for n, client in enumerate(clients)
    ]
    for agent_thread in agents:
        agent_thread.start()
    try:
        finished = import_job_run(job_id=job.pk, progress=progress)
    finally:
        done.set()
        for agent_thread in agents:
            agent_thread.join(timeout=60)
    seen: dict[Any, int] = {}
    for code in (code for codes in statuses for code in codes):
        seen[code] = seen.get(code, 0) + 1

    assert (finished.state, finished.rows_done) == (ImportState.SUCCEEDED, ROWS)
    assert finished.counts == {
        "recorded": ROWS // 2,
        "duplicate": 0,
        "quarantined": ROWS // 2,
    }
    assert TrackingEvent.objects.count() == ROWS // 2
    assert len(batch_seconds) >= ROWS // settings.AMIABLE_IMPORT_BATCH_ROWS
    assert set(seen) == {200, 201}, seen
    assert all(len(codes) >= 2 for codes in statuses)  # every agent got through
