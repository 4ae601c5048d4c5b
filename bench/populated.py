"""Ingestion and case creation on a POPULATED database (``bench/inbound.py --size N``).

An ingestion benchmark on an empty database hides every lookup that scans a table:
it is fast at 0 rows whatever the plan. Here the data set of ``bench/dataset.py``
(N cases, N/2 customers, 2N interactions) is built once, copied to a scratch
database (a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL), and
the messages go into the copy, so every run starts from the same N cases. Half the
messages come from customers of the data set, some answer cases of the data set by
their reference, the rest are new people and threads among themselves.
"""

from __future__ import annotations

import os
import random
import shutil
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

from django.db import connection

STATEMENT_SAMPLES = 20


def scratch_database_url(dataset_url: str, size: int) -> str:
    """A fresh copy of the data set of ``size`` cases; its URL."""
    connection.close()
    if dataset_url.startswith("sqlite:///"):
        source = Path(dataset_url.removeprefix("sqlite:///"))
        target = source.with_name(f"inbound-{size}.sqlite3")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    import psycopg

    parsed = urlparse(dataset_url)
    template = parsed.path.lstrip("/")
    name = f"{template}_inbound"
    with psycopg.connect(dataset_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin_url = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def use_database(url: str) -> None:
    """Point the default connection at ``url`` (the next query reconnects)."""
    import dj_database_url

    connection.close()
    parsed = dj_database_url.parse(url)
    connection.settings_dict["NAME"] = parsed["NAME"]
    os.environ["DATABASE_URL"] = url


def known_senders(limit: int, seed: int) -> list[str]:
    """Addresses of customers of the data set, to write as them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT normalized FROM customers_identity WHERE kind = 'email' "
            "ORDER BY id LIMIT %s",
            [limit * 20],
        )
        addresses = [row[0] for row in cursor.fetchall()]
    rng = random.Random(seed)  # noqa: S311 (benchmark data)
    rng.shuffle(addresses)
    return addresses[:limit]


def known_references(limit: int) -> list[tuple[str, str]]:
    """(reference, customer address) of cases of the data set, to answer them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reference, i.normalized FROM cases_case c "
            "JOIN customers_identity i ON i.customer_id = c.customer_id "
            "WHERE i.kind = 'email' ORDER BY c.id DESC LIMIT %s",
            [limit],
        )
        return [(row[0], row[1]) for row in cursor.fetchall()]


def case_create_statements(*, token: str, customer_count: int) -> dict[str, Any]:
    """SQL statements of ``POST /api/v1/cases`` in this process (median and max of
    a few requests, the token already used once)."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"Authorization": f"Bearer {token}"})
    counts: list[int] = []
    rng = random.Random(3)  # noqa: S311 (benchmark data)
    for index in range(STATEMENT_SAMPLES + 1):
        payload = {
            "customer_id": rng.randrange(1, customer_count + 1),
            "subject": f"Colis bench {uuid.uuid4().hex[:8]}",
            "kind": "complaint",
            "body_text": "Mon colis n'est jamais arrivé, merci de vérifier.",
        }
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/api/v1/cases",
                payload,
                content_type="application/json",
                headers={"Idempotency-Key": uuid.uuid4().hex},
            )
        if response.status_code != 201:
            raise SystemExit(f"case creation failed: {response.status_code}")
        if index:  # the first request stamps the token's first use
            counts.append(len(captured))
    counts.sort()
    return {"median": counts[len(counts) // 2], "max": counts[-1]}


def ingest_timed(messages: list[bytes]) -> tuple[float, float, dict[str, int]]:
    """(wall, CPU) seconds of ``email_ingest`` of every message, and the outcomes."""
    from amiable.inbound.services import email_ingest

    statuses: dict[str, int] = {}
    started, cpu = time.perf_counter(), time.process_time()
    for raw in messages:
        result = email_ingest(raw=raw, source="command")
        key = "duplicate" if result.is_duplicate else result.status
        statuses[key] = statuses.get(key, 0) + 1
    return time.perf_counter() - started, time.process_time() - cpu, statuses
