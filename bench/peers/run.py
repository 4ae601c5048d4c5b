"""Side by side with django-helpdesk (not a test): ``bench/peers/run.py --size 10000``.

1. Installs django-helpdesk 2.6.1 and gunicorn from PyPI into its own virtual
   environment (``var/bench/peer-venv``, once); nothing of it is committed.
2. Builds (or reuses) our data set of N cases (``bench/dataset.py``) and fills
   django-helpdesk's database from it (``bench/peers/data.py``): the same customers,
   subjects, bodies, statuses and assignees. Each run works on fresh copies.
3. Serves each product with gunicorn, 2 sync workers, and measures with the same
   client (python-requests, one request in flight) in interleaved rounds (ours then
   the peer, then the peer then ours, ...): API case creation, API list, case
   detail page, inbox page 1, keyword search. Per request: wall time and the CPU
   time of the gunicorn workers (``/proc``); the busiest worker's peak RSS and heap.
4. With the servers stopped, each product ingests the same ``.eml`` files into its
   populated database through its own mail-processing function, in a process of
   its own (``bench/peers/agent.py``), in interleaved chunks: messages per
   CPU-second of that process.

Prints the ratios ours/peer and writes JSON to ``var/bench/peers-<N>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.peers import data, measure  # noqa: E402
from bench.peers.servers import Server  # noqa: E402

BENCH = ROOT / "var" / "bench"
WORK = BENCH / "peers"
VENV = BENCH / "peer-venv"
PEER = "django-helpdesk==2.6.1"
PEER_REQUIREMENTS = [PEER, "gunicorn==27.0.1", "requests==2.34.2"]


def ensure_peer_venv() -> Path:
    python = VENV / "bin" / "python"
    marker = VENV / "installed.txt"
    if marker.exists() and marker.read_text().split() == PEER_REQUIREMENTS:
        return python
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [str(python), "-m", "pip", "install", "-q", *PEER_REQUIREMENTS], check=True
    )
    marker.write_text("\n".join(PEER_REQUIREMENTS))
    return python


def ensure_ours(size: int) -> Path:
    """Our data set of ``size`` cases (built by ``bench/dataset.py`` once)."""
    path = BENCH / f"bench-{size}.sqlite3"
    script = (
        "import django, sys; django.setup(); "
        "from bench.dataset import ensure_dataset; "
        f"d = ensure_dataset({size}); print(d, file=sys.stderr)"
    )
    subprocess.run(  # noqa: S603
        ["/usr/bin/nice", "-n", "10", sys.executable, "-c", script],
        check=True,
        cwd=ROOT,
        env=ours_env(path, BENCH / "var-peers"),
    )
    return path


def ours_env(database: Path, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
        "DATABASE_URL": f"sqlite:///{database}",
        "AMIABLE_TASKS": "database",
        "AMIABLE_VAR_DIR": str(var_dir),
    }


def peer_env(database: Path, secret: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT / "bench" / "peers"),
        "DJANGO_SETTINGS_MODULE": "peer_site.settings",
        "PEER_DATABASE": str(database),
        "PEER_SECRET_KEY": secret,
        "PEER_MEDIA": str(WORK / "peer-media"),
    }


def ensure_peer(size: int, ours: Path, python: Path) -> Path:
    path = BENCH / f"peer-{size}.sqlite3"
    if data.is_complete(path):
        return path
    path.unlink(missing_ok=True)
    env = peer_env(path, uuid.uuid4().hex)
    subprocess.run(  # noqa: S603
        [str(python), "-m", "django", "migrate", "-v", "0"], check=True, env=env
    )
    teams, agents = data.teams_and_agents(ours)
    with measure.Agent(python, "peer", env) as agent:
        ids = agent.ask({"cmd": "setup", "teams": teams, "agents": agents})
    started = time.perf_counter()
    counts = data.load_peer(ours, path, ids)
    print(  # noqa: T201
        f"peer data: {counts} in {time.perf_counter() - started:.0f}s", file=sys.stderr
    )
    return path


def scratch(source: Path, name: str) -> Path:
    """A fresh copy of a database file (its WAL folded in first)."""
    with sqlite3.connect(source) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    WORK.mkdir(parents=True, exist_ok=True)
    target = WORK / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="cases")
    parser.add_argument("--messages", type=int, default=1000, help="e-mails")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=15, help="per block")
    parser.add_argument("--block-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    args = parser.parse_args(argv)

    python = ensure_peer_venv()
    ours_db = ensure_ours(args.size)
    peer_db = ensure_peer(args.size, ours_db, python)
    ours_copy = scratch(ours_db, f"ours-{args.size}.sqlite3")
    peer_copy = scratch(peer_db, f"peer-{args.size}.sqlite3")
    our_env = ours_env(ours_copy, BENCH / "var-peers")
    their_env = peer_env(peer_copy, uuid.uuid4().hex)
    emails = data.write_corpus(
        ours_db, WORK / f"eml-{args.size}-{args.messages}", args.messages, args.seed
    )
    fixtures = measure.Fixtures.load(ours_db, args.seed)
    report: dict[str, Any] = {
        "benchmark": "side by side with django-helpdesk",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "peer": PEER,
        "ours": _our_version(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "cpus": os.cpu_count(),
        "size": args.size,
        "load_average_at_start": os.getloadavg(),
    }
    ours_python = Path(sys.executable)
    with (
        measure.Agent(ours_python, "ours", our_env) as ours_agent,
        measure.Agent(python, "peer", their_env) as peer_agent,
    ):
        if not args.skip_http:
            ours = Server(
                "ours",
                [
                    str(ours_python.with_name("gunicorn")),
                    "amiable.config.wsgi:application",
                ],
                our_env,
                ROOT,
            )
            peer = Server(
                "peer",
                [str(python.with_name("gunicorn")), "peer_site.wsgi:application"],
                their_env,
                ROOT,
            )
            try:
                ours.start("/")
                peer.start("/login/")
                clients = measure.clients(ours, peer, ours_agent, peer_agent, fixtures)
                report["http"] = measure.http_rounds(
                    clients,
                    rounds=args.rounds,
                    requests_per_block=args.requests,
                    block_seconds=args.block_seconds,
                )
                report["worker_memory_mib"] = {
                    "ours": ours.busiest_mib(),
                    "peer": peer.busiest_mib(),
                }
            finally:
                ours.stop()
                peer.stop()
        if not args.skip_ingest:
            report["ingestion"] = measure.ingest_rounds(
                ours_agent, peer_agent, [str(path) for path in emails], args.rounds
            )
    report["load_average_at_end"] = os.getloadavg()
    report["ratios"] = measure.ratios(report)
    text = json.dumps(report, indent=2)
    output = BENCH / f"peers-{args.size}.json"
    output.write_text(text + "\n")
    print(text)  # noqa: T201
    print(measure.table(report), file=sys.stderr)  # noqa: T201
    return 0


def _our_version() -> str:
    head = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    return f"amiable {head or 'unknown'}"


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
