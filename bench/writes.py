"""Write benchmark: case creation through the real API on a gunicorn server, beside
raw SQL INSERTs of the same rows (sequence bump, case, first interaction)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

from amiable.cases.models import Case
from amiable.conversations.models import Interaction
from bench.timing import describe

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _request(
    port: int, method: str, path: str, body: bytes | None, headers: dict[str, str]
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """gunicorn serving the project on a free loopback port, for one benchmark."""

    def __init__(self, *, workers: int) -> None:
        self.port = _free_port()
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(gunicorn),
                "amiable.config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=os.environ.copy(),
        )

    def wait_ready(self, timeout: float = 240) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                status, _ = _request(self.port, "GET", "/api/v1/openapi.json", None, {})
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def api_has_case_create(port: int) -> bool:
    status, body = _request(port, "GET", "/api/v1/openapi.json", None, {})
    if status != 200:
        return False
    paths = json.loads(body).get("paths", {})
    return "post" in paths.get("/api/v1/cases", {})


def case_create_api(
    *,
    token: str,
    customer_count: int,
    requests: int,
    seconds: float,
    clients: int,
    workers: int,
) -> dict[str, Any]:
    """POST /api/v1/cases from ``clients`` threads, bounded by count and time."""
    server = Server(workers=workers)
    try:
        server.wait_ready()
        if not api_has_case_create(server.port):
            return {"skipped": "POST /api/v1/cases is not in the OpenAPI document"}
        headers = {
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
        }
        lock = threading.Lock()
        latencies: list[float] = []
        failures: list[int] = []
        issued = [0]
        deadline = time.monotonic() + seconds

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < deadline:
                with lock:
                    if issued[0] >= requests:
                        return
                    issued[0] += 1
                payload = {
                    "customer_id": rng.randrange(1, customer_count + 1),
                    "subject": f"Colis bench {uuid.uuid4().hex[:8]}",
                    "kind": "complaint",
                    "body_text": "Mon colis n'est jamais arrivé, merci de vérifier.",
                }
                started = time.perf_counter()
                status, _ = _request(
                    server.port,
                    "POST",
                    "/api/v1/cases",
                    json.dumps(payload).encode(),
                    headers,
                )
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status == 201:
                        latencies.append(elapsed)
                    else:
                        failures.append(status)

        started = time.perf_counter()
        threads = [
            threading.Thread(target=client, args=(index,)) for index in range(clients)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    return {
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "created": len(latencies),
        "failures": len(failures),
        "failure_statuses": sorted(set(failures)),
        "latency": describe(latencies),
        "clients": clients,
        "gunicorn_workers": workers,
    }


class RawInsert:
    """One INSERT of ``model`` by raw SQL: every NOT NULL column the model has gets
    the given constant or its model default, so the floor keeps writing the same
    row as ours when fields are added (defaults are computed once, not per row)."""

    def __init__(
        self,
        model: type[Model],
        *,
        constants: dict[str, Any],
        varying: tuple[str, ...],
    ) -> None:
        values: dict[str, Any] = {}
        for field in model._meta.concrete_fields:
            if field.primary_key or field.column in varying:
                continue
            if field.column in constants:
                values[field.column] = constants[field.column]
            elif not field.null and field.get_default() is not None:
                # An explicit default, or "" for text fields, as the ORM writes.
                default = field.get_default()
                values[field.column] = field.get_db_prep_save(default, connection)
        self.constants = list(values.values())
        self.varying = varying
        columns = [*values, *varying]
        marks = ", ".join(["%s"] * len(columns))
        self.sql = (
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
            f"VALUES ({marks})"
        )

    def params(self, **given: Any) -> list[Any]:
        return [*self.constants, *(given[name] for name in self.varying)]


def case_create_floor(*, customer_count: int, requests: int) -> dict[str, Any]:
    """The same rows by raw SQL, one transaction per case; the rows are removed."""
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    stamp: Any = (
        now.replace(tzinfo=None).isoformat(" ")
        if connection.vendor == "sqlite"
        else now
    )
    marker = uuid.uuid4().hex[:8]
    moments = {"created_at": stamp, "updated_at": stamp}
    case_insert = RawInsert(
        Case,
        constants={
            **moments,
            "kind": "complaint",
            "priority": "normal",
            "status": "new",
            "channel": "email",
            "opened_at": stamp,
            "last_activity_at": stamp,
        },
        varying=("reference", "subject", "customer_id"),
    )
    interaction_insert = RawInsert(
        Interaction,
        constants={
            **moments,
            "channel": "email",
            "direction": "inbound",
            "occurred_at": stamp,
            "body_text": "Mon colis n'est jamais arrivé, merci de vérifier.",
        },
        varying=("subject", "case_id", "customer_id"),
    )
    case_sql, interaction_sql = case_insert.sql, interaction_insert.sql
    latencies = []
    started = time.perf_counter()
    for index in range(requests):
        one = time.perf_counter()
        customer_id = rng.randrange(1, customer_count + 1)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE cases_casesequence SET last_number = last_number + 1 "
                "WHERE year = %s",
                [now.year],
            )
            cursor.execute(
                case_sql,
                case_insert.params(
                    reference=f"F-{marker}-{index}",
                    subject=f"Colis bench {index}",
                    customer_id=customer_id,
                ),
            )
            cursor.execute(
                "SELECT id FROM cases_case WHERE reference = %s",
                [f"F-{marker}-{index}"],
            )
            case_id = cursor.fetchone()[0]
            cursor.execute(
                interaction_sql,
                interaction_insert.params(
                    subject=f"Colis bench {index}",
                    case_id=case_id,
                    customer_id=customer_id,
                ),
            )
        latencies.append((time.perf_counter() - one) * 1000)
    elapsed = time.perf_counter() - started
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM conversations_interaction WHERE case_id IN "
            "(SELECT id FROM cases_case WHERE reference LIKE %s)",
            [f"F-{marker}-%"],
        )
        cursor.execute(
            "DELETE FROM cases_case WHERE reference LIKE %s", [f"F-{marker}-%"]
        )
    return {
        "requests_per_s": round(requests / elapsed, 1),
        "created": requests,
        "latency": describe(latencies),
    }
