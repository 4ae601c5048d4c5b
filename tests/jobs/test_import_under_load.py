"""A carrier CSV imported in the background by a real ``amiable worker`` while 20
agents, each a thread with its own HTTP connections, open and list cases on a real
gunicorn (as ``amiable run`` starts it): not one request fails, the import finishes
with every row. The 50,000-row run of the same scenario is ``bench/import_load.py``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from bench.import_load import (
    agents_run,
    free_port,
    servers_start,
    servers_stop,
    tracking_csv,
)

from amiable.accounts.models import Role, Team, User
from amiable.commerce.models import TrackingEvent
from amiable.commerce.services import TRACKING_IMPORT
from amiable.jobs.models import ImportJob, ImportState
from amiable.jobs.services import import_job_create
from tests.factories import CustomerFactory, ShipmentFactory, UserFactory

ROWS = int(os.environ.get("AMIABLE_TEST_LOAD_ROWS", "5000"))
SHIPMENTS = 100
CLIENTS = 20
TIMEOUT = 1800


def test_twenty_agents_work_without_an_error_while_a_big_import_runs(
    worker_env: dict[str, str],
    supervisor: User,
    team: Team,
    token_for: Callable[[User], str],
    tmp_path: Path,
) -> None:
    for n in range(SHIPMENTS):
        ShipmentFactory.create(carrier="DPD", tracking_number=f"LOAD{n}")
    customer = CustomerFactory.create()
    tokens = [
        token_for(UserFactory.create(username=f"charge{n}", role=Role.AGENT, team=team))
        for n in range(CLIENTS)
    ]
    job = import_job_create(
        actor=supervisor,
        kind=TRACKING_IMPORT,
        content=tracking_csv(ROWS, SHIPMENTS),
        source_name="charge.csv",
    )
    port = free_port()
    processes = servers_start({**worker_env, "AMIABLE_VAR_DIR": str(tmp_path)}, port)
    try:
        report = agents_run(
            port=port,
            tokens=tokens,
            customer_id=customer.pk,
            is_done=lambda: ImportJob.objects.get(pk=job.pk).is_finished,
            timeout=TIMEOUT,
        )
    finally:
        servers_stop(processes)
    job.refresh_from_db()
    summary = report.summary()

    assert (job.state, job.rows_done) == (ImportState.SUCCEEDED, ROWS)
    assert job.counts == {
        "recorded": ROWS // 2,
        "duplicate": 0,
        "quarantined": ROWS // 2,
    }
    assert (
        TrackingEvent.objects.filter(external_id__startswith="load-").count()
        == ROWS // 2
    )
    assert (summary["errors"], summary["transport_failures"]) == (0, 0), summary
    assert set(report.statuses) == {200, 201}, summary
    assert len(report.seconds) >= 2 * CLIENTS
