"""Amiable benchmarks (not tests): ``.venv/bin/python bench/run.py --size 10000``.

Builds (or reuses) a data set of ``--size`` cases in ``var/bench/bench-<size>.sqlite3``,
or, when ``DATABASE_URL`` points at PostgreSQL, in the database ``<name>_bench_<size>``
on that server; then measures case creation through the API (gunicorn), the inbox
pages (web view), the API list and full-text search, each beside a raw-SQL floor on
the same data in the same run, and prints JSON with p50/p95 and ours/floor ratios.
``--only replies`` measures reply stripping alone (``bench/replies.py``, no data set).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SECTIONS = ("create", "inbox", "casepage", "api", "search", "replies")


def _database_url(size: int) -> str:
    """The bench database for ``size``: a cached SQLite file, or a PostgreSQL
    database beside the one ``DATABASE_URL`` names (created when missing)."""
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urlparse(given)
        name = f"{parsed.path.lstrip('/') or 'postgres'}_bench_{size}"
        with psycopg.connect(given, autocommit=True) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
        return urlunparse(parsed._replace(path=f"/{name}"))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{BENCH_DIR / f'bench-{size}.sqlite3'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="number of cases")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--requests", type=int, default=400, help="API creations")
    parser.add_argument("--seconds", type=float, default=30.0, help="API time bound")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--skip-create", action="store_true")
    parser.add_argument(
        "--only",
        choices=SECTIONS,
        action="append",
        help="measure only these sections (repeatable; default: all)",
    )
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--output", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    sections = set(args.only or SECTIONS)
    if args.skip_create:
        sections.discard("create")

    if sections == {"replies"}:  # reply stripping needs no data set
        sys.path.insert(0, str(ROOT))
        sys.path.insert(0, str(ROOT / "src"))
        from bench.replies import replies_measure

        print(json.dumps({"replies": replies_measure()}, indent=2, ensure_ascii=False))
        return 0
    os.environ["DATABASE_URL"] = _database_url(args.size)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amiable.config.settings")
    os.environ.setdefault("AMIABLE_TASKS", "immediate")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()

    from django.db import connection

    from amiable.accounts.models import User
    from amiable.accounts.services import token_create
    from bench.dataset import ensure_dataset
    from bench.reads import api_list_benchmark, inbox_benchmarks, search_benchmarks
    from bench.writes import case_create_api, case_create_floor

    started = time.perf_counter()
    data = ensure_dataset(args.size, rebuild=args.rebuild)
    print(
        f"data set: {args.size} cases ({'reused' if data.reused else 'built'} "
        f"in {data.build_seconds:.1f}s)",
        file=sys.stderr,
    )
    admin = User.objects.get(pk=data.admin_id)
    agent = User.objects.get(pk=data.agent_id)
    token = token_create(actor=admin, user=admin, name="bench").plaintext
    results: dict[str, Any] = {
        "size": args.size,
        "customers": data.customers,
        "interactions": data.interactions,
        "database": connection.vendor,
        "build_seconds": round(data.build_seconds, 1),
        "data_set_reused": data.reused,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }
    if "create" in sections:
        api = case_create_api(
            token=token,
            customer_count=data.customers,
            requests=args.requests,
            seconds=args.seconds,
            clients=args.clients,
            workers=args.workers,
        )
        floor = case_create_floor(customer_count=data.customers, requests=args.requests)
        ratio = (
            round(floor["requests_per_s"] / api["requests_per_s"], 2)
            if api.get("requests_per_s")
            else None
        )
        results["case_create"] = {
            "ours": api,
            "floor": floor,
            "ratio_floor_rate_over_ours": ratio,
        }
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("cases:inbox")
        page_view = True
    except NoReverseMatch:
        page_view = False
    if "inbox" in sections:
        results["reads"] = inbox_benchmarks(
            admin=admin, agent=agent, samples=args.samples, page_view=page_view
        )
    if "casepage" in sections and page_view:
        from bench.case_page import case_page_benchmark

        results["case_page"] = case_page_benchmark(agent=agent, samples=args.samples)
    if "api" in sections:
        results["api_list"] = api_list_benchmark(token=token, samples=args.samples)
    if "search" in sections:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM customers_customer WHERE id = 1")
            row = cursor.fetchone()
        last_name = str(row[0]).split()[-1] if row else "Martin"
        results["search"] = search_benchmarks(
            admin=admin,
            terms=["colis retar*", last_name, "remboursement partiel", "C-2025-000042"],
            samples=args.samples,
        )
    if "replies" in sections:
        from bench.replies import replies_measure

        results["replies"] = replies_measure()
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(results, indent=2, ensure_ascii=False, default=str)
    print(text)
    output = args.output or BENCH_DIR / f"results-{connection.vendor}-{args.size}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
