"""Background import benchmark (not a test): ``.venv/bin/python bench/imports.py``.

Builds a fresh SQLite database (``var/bench/imports.sqlite3``), ``--shipments``
shipments and a carrier CSV of ``--rows`` events (half for known shipments, half
quarantined), then runs the import job the way a worker does (batches of
``AMIABLE_IMPORT_BATCH_ROWS``, one transaction each) while ``--clients`` agents
open and list cases through the API, each in a process of its own (as gunicorn
workers would), with its own connection.
Prints JSON: rows per second, batch cycles (from one batch's commit to the next:
waiting for the write lock behind the agents, holding it, the pause; p50/p95/max),
the agents' requests (count, errors, p50/p95/max latency).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-password-1"  # noqa: S105 (a throw-away bench database)
BENCH_DIR = ROOT / "var" / "bench"


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _csv(rows: int, shipments: int) -> bytes:
    lines = ["carrier,tracking_number,event_id,status,occurred_at,location"]
    for n in range(rows):
        minutes, second = divmod(n, 60)
        hours, minute = divmod(minutes, 60)
        day, hour = divmod(hours, 24)
        lines.append(
            f"DPD,BENCH{n % (2 * shipments)},bench-{n},in_transit,"
            f"2026-03-{1 + day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z,Lyon"
        )
    return ("\n".join(lines) + "\n").encode()


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(statistics.median(values), 4) if values else 0.0,
        "p95": round(_percentile(values, 0.95), 4),
        "max": round(max(values, default=0.0), 4),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--shipments", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    options = parser.parse_args(argv)

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = BENCH_DIR / "imports.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["AMIABLE_TASKS"] = "database"  # events are queued, not run inline
    os.environ.setdefault("AMIABLE_VAR_DIR", str(BENCH_DIR / "imports-var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amiable.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment
    from tests.factories import CustomerFactory, ShipmentFactory

    from amiable.accounts.models import Role
    from amiable.accounts.services import team_create, token_create, user_create
    from amiable.commerce.services import TRACKING_IMPORT
    from amiable.jobs.models import ImportJob
    from amiable.jobs.services import import_job_create, import_job_run

    setup_test_environment()
    call_command("migrate", interactive=False, verbosity=0)
    team = team_create(actor=None, name="Bench")
    supervisor = user_create(
        actor=None, username="boss", password=PASSWORD, role=Role.SUPERVISOR
    )
    agents = [
        user_create(
            actor=None,
            username=f"agent{n}",
            password=PASSWORD,
            role=Role.AGENT,
            team=team,
        )
        for n in range(options.clients)
    ]
    for n in range(options.shipments):
        ShipmentFactory.create(carrier="DPD", tracking_number=f"BENCH{n}")
    customer = CustomerFactory.create()
    content = _csv(options.rows, options.shipments)

    started = time.monotonic()
    job = import_job_create(
        actor=supervisor, kind=TRACKING_IMPORT, content=content, source_name="b.csv"
    )
    check_seconds = time.monotonic() - started
    stop = multiprocessing.get_context("fork").Event()
    results: Any = multiprocessing.get_context("fork").Queue()

    def agent_loop(token: str) -> None:
        """One agent in a process of its own, as behind gunicorn."""
        connections.close_all()  # never share the parent's connection
        client = Client(headers={"Authorization": f"Bearer {token}"})
        latencies: list[float] = []
        statuses: list[int] = []
        while not stop.is_set():
            begin = time.monotonic()
            opened = client.post(
                "/api/v1/cases",
                data={"customer_id": customer.pk, "subject": "Colis ?"},
                content_type="application/json",
            )
            middle = time.monotonic()
            listed = client.get("/api/v1/cases?limit=25")
            end = time.monotonic()
            latencies.extend([middle - begin, end - middle])
            statuses.extend([opened.status_code, listed.status_code])
        connections.close_all()
        results.put((latencies, statuses))

    tokens = [
        token_create(actor=agent, user=agent, name="bench").plaintext
        for agent in agents
    ]
    connections.close_all()
    processes = [
        multiprocessing.get_context("fork").Process(target=agent_loop, args=(token,))
        for token in tokens
    ]
    batches: list[float] = []
    last = [time.monotonic()]

    def progress(job: ImportJob) -> None:
        batches.append(time.monotonic() - last[0])
        last[0] = time.monotonic()

    for process in processes:
        process.start()
    begin = time.monotonic()
    last[0] = begin
    finished = import_job_run(job_id=job.pk, progress=progress)
    seconds = time.monotonic() - begin
    stop.set()
    latencies: list[float] = []
    statuses: list[int] = []
    for _process in processes:
        more_latencies, more_statuses = results.get()
        latencies += more_latencies
        statuses += more_statuses
    for process in processes:
        process.join()
    errors = sum(1 for status in statuses if status >= 400)
    print(
        json.dumps(
            {
                "machine": platform.platform(),
                "load_average": os.getloadavg(),
                "rows": finished.rows_done,
                "state": finished.state,
                "counts": finished.counts,
                "batch_rows": settings.AMIABLE_IMPORT_BATCH_ROWS,
                "check_and_store_seconds": round(check_seconds, 2),
                "import_seconds": round(seconds, 1),
                "rows_per_second": round(finished.rows_done / seconds, 1),
                "batches": len(batches),
                "batch_cycle_seconds": _summary(batches),
                "clients": options.clients,
                "requests": len(statuses),
                "request_errors": errors,
                "request_seconds": _summary(latencies),
            },
            indent=2,
        )
    )
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
