"""A big carrier CSV imported in the background while agents work, on real servers:
``.venv/bin/python bench/import_load.py --rows 50000 --clients 20``.

A fresh SQLite database (``var/bench/import_load.sqlite3``), ``--shipments``
shipments, ``--clients`` agents with a token each and a carrier CSV of ``--rows``
events (half for known shipments, half quarantined) stored as an import job; then
the deployment of ``amiable run``: gunicorn (2 workers of 4 threads) and an
``amiable worker`` that runs the import in its bounded batches, while each agent, a
thread with its own HTTP connection, opens a case and lists cases in a loop until the
import has finished. Prints JSON: rows per second, the agents' requests (count,
errors by status, p50/p95/max latency), and the longest write-lock hold of a batch
(from the worker's log). ``tests/jobs/test_import_under_load.py``
runs the same scenario, smaller, in the suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


def tracking_csv(rows: int, shipments: int, prefix: str = "LOAD") -> bytes:
    """``rows`` carrier events, for ``2 * shipments`` tracking numbers of which the
    first ``shipments`` exist (``{prefix}0``…)."""
    lines = ["carrier,tracking_number,event_id,status,occurred_at,location"]
    for n in range(rows):
        minutes, second = divmod(n, 60)
        hours, minute = divmod(minutes, 60)
        day, hour = divmod(hours, 24)
        lines.append(
            f"DPD,{prefix}{n % (2 * shipments)},{prefix.lower()}-{n},in_transit,"
            f"2026-03-{1 + day % 28:02d}T{hour:02d}:{minute:02d}:{second:02d}Z,Lyon"
        )
    return ("\n".join(lines) + "\n").encode()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def servers_start(
    env: dict[str, str], port: int, worker_log: Path | None = None
) -> list[subprocess.Popen[bytes]]:
    """gunicorn as ``amiable run`` starts it, and one task worker (its log written
    to ``worker_log`` when given); returns once the web server answers."""
    web = subprocess.Popen(  # noqa: S603 (our own interpreter and code)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "amiable.config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--threads=4",
            "--worker-class=gthread",
            "--timeout=120",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    log = worker_log.open("wb") if worker_log is not None else subprocess.DEVNULL
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "amiable.cli", "worker", "--no-scheduler"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, _seconds = _request(port, "GET", "/api/v1/me", "", None)
        except OSError:
            time.sleep(0.3)
            continue
        if status == 401:
            return [web, worker]
    servers_stop([web, worker])
    raise RuntimeError("the web server did not start")


def servers_stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _request(
    port: int, method: str, path: str, token: str, body: dict[str, object] | None
) -> tuple[int, float]:
    """(status, seconds) of one request on a new connection (as a browser tab)."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    try:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


@dataclass
class AgentsReport:
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.seconds.append(seconds)

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.seconds)

        def at(fraction: float) -> float:
            index = min(len(ordered) - 1, int(fraction * len(ordered)))
            return round(ordered[index], 3) if ordered else 0.0

        return {
            "requests": len(ordered),
            "by_status": dict(sorted(self.statuses.items())),
            "errors": sum(n for s, n in self.statuses.items() if s not in {200, 201}),
            "transport_failures": len(self.failures),
            "p50": round(statistics.median(ordered), 3) if ordered else 0.0,
            "p95": at(0.95),
            "max": at(1.0),
        }


def agents_run(
    *,
    port: int,
    tokens: list[str],
    customer_id: int,
    is_done: Callable[[], bool],
    timeout: float,
) -> AgentsReport:
    """One thread per token, opening and listing cases until ``is_done()``."""
    report = AgentsReport()
    stop = threading.Event()

    def agent(token: str) -> None:
        case = {"customer_id": customer_id, "subject": "Où est mon colis ?"}
        while not stop.is_set():
            try:
                report.add(*_request(port, "POST", "/api/v1/cases", token, case))
                report.add(
                    *_request(port, "GET", "/api/v1/cases?limit=10", token, None)
                )
            except OSError as exc:
                with report.lock:
                    report.failures.append(repr(exc))

    threads = [threading.Thread(target=agent, args=(t,), daemon=True) for t in tokens]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    while not is_done() and time.monotonic() < deadline:
        time.sleep(0.5)
    stop.set()
    for thread in threads:
        thread.join(timeout=200)
    return report


HOLD_FINISHED = re.compile(r"longest write-lock hold (\d+) ms")
HOLD_OVER = re.compile(r"a batch held the write lock for (\d+) ms")


def lock_holds(worker_log: Path) -> dict[str, object]:
    """What the worker logged of its batches' write-lock holds (``jobs``)."""
    text = worker_log.read_text(encoding="utf-8", errors="replace")
    finished = [int(ms) for ms in HOLD_FINISHED.findall(text)]
    over = [int(ms) for ms in HOLD_OVER.findall(text)]
    return {
        "longest_ms": max(finished + over) if finished or over else None,
        "batches_over_1s": len(over),
        "longest_over_1s_ms": max(over) if over else None,
    }


def _prepare(rows: int, shipments: int, clients: int) -> tuple[int, int, list[str]]:
    """The data set in a fresh database: (job id, customer id, agents' tokens)."""
    from django.core.management import call_command
    from tests.factories import ShipmentFactory

    from amiable.accounts.models import Role, Team, User
    from amiable.accounts.services import token_create
    from amiable.commerce.services import TRACKING_IMPORT
    from amiable.customers.models import Customer
    from amiable.jobs.services import import_job_create

    call_command("migrate", verbosity=0)
    team = Team.objects.create(name="Bench")
    supervisor = User.objects.create_user(
        username="bench-supervisor", role=Role.SUPERVISOR, team=team
    )
    tokens = []
    for n in range(clients):
        agent = User.objects.create_user(
            username=f"bench-agent-{n}", role=Role.AGENT, team=team
        )
        tokens.append(token_create(actor=None, user=agent, name="bench").plaintext)
    for n in range(shipments):
        ShipmentFactory.create(carrier="DPD", tracking_number=f"LOAD{n}")
    customer = Customer.objects.create(name="Client du banc")
    job = import_job_create(
        actor=supervisor,
        kind=TRACKING_IMPORT,
        content=tracking_csv(rows, shipments),
        source_name="load.csv",
    )
    return job.pk, customer.pk, tokens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--shipments", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=4 * 3600)
    options = parser.parse_args(argv)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = BENCH_DIR / "import_load.sqlite3"
    for leftover in BENCH_DIR.glob("import_load.sqlite3*"):
        leftover.unlink()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "AMIABLE_VAR_DIR": str(BENCH_DIR / "import_load_var"),
        "AMIABLE_TASKS": "database",
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
    }
    os.environ.update(env)
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()
    from amiable.jobs.models import ImportJob

    job_id, customer_id, tokens = _prepare(
        options.rows, options.shipments, options.clients
    )
    port = free_port()
    worker_log = BENCH_DIR / "import_load_worker.log"
    processes = servers_start(env, port, worker_log)
    started = time.monotonic()
    try:
        report = agents_run(
            port=port,
            tokens=tokens,
            customer_id=customer_id,
            is_done=lambda: ImportJob.objects.get(pk=job_id).is_finished,
            timeout=options.timeout,
        )
    finally:
        servers_stop(processes)
    elapsed = time.monotonic() - started
    job = ImportJob.objects.get(pk=job_id)
    print(
        json.dumps(
            {
                "rows": options.rows,
                "clients": options.clients,
                "import": {
                    "state": job.state,
                    "rows_done": job.rows_done,
                    "counts": job.counts,
                    "seconds": round(elapsed, 1),
                    "rows_per_second": round(job.rows_done / elapsed, 1),
                },
                "write_lock": lock_holds(worker_log),
                "agents": report.summary(),
                "load_average": os.getloadavg(),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
