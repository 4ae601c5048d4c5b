"""Topology benchmark (not a test): ``.venv/bin/python bench/topology.py``.

Runs ``tests/topology/test_topology.py`` with the issue's load: 2 web hosts
(gunicorn, ``--web-workers`` sync workers each) and 2 worker hosts (RQ) on
PostgreSQL, Redis and moto's S3 server on loopback, ``--clients`` concurrent
clients for ``--seconds`` (50 and 60 by default), one web and one worker host
killed halfway. The test's checks still apply (nothing lost or doubled, every
event delivered once); the figures it prints (throughput, p50/p95 overall and per
operation, killed connections) are printed here as JSON, for bench/RESULTS.md.
Needs ``DATABASE_URL`` naming PostgreSQL (the test database is created beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--web-workers", type=int, default=2)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("bench/topology.py: DATABASE_URL must name PostgreSQL", file=sys.stderr)
        return 2
    env = {
        **os.environ,
        "AMIABLE_TOPOLOGY_SECONDS": str(options.seconds),
        "AMIABLE_TOPOLOGY_CLIENTS": str(options.clients),
        "AMIABLE_TOPOLOGY_WEB_WORKERS": str(options.web_workers),
        "AMIABLE_TASKS": "immediate",
        "PYTHONPATH": str(ROOT / "src"),
    }
    completed = subprocess.run(  # noqa: S603 (our own interpreter and test)
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-n",
            "0",
            "-s",
            "-q",
            "-p",
            "no:logging",
            "tests/topology/test_topology.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    figures = [
        line.removeprefix("TOPOLOGY ")
        for line in completed.stdout.splitlines()
        if line.startswith("TOPOLOGY ")
    ]
    result = json.loads(figures[-1]) if figures else {}
    result["checks_passed"] = completed.returncode == 0
    print(json.dumps(result, indent=2))
    if completed.returncode != 0:
        print(completed.stdout[-4000:], file=sys.stderr)
    return completed.returncode


if __name__ == "__main__":
    sys.exit(main())
