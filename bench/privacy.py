"""Personal data benchmark (not a test): ``.venv/bin/python bench/privacy.py``.

Builds a fresh SQLite database (``var/bench/privacy.sqlite3``) of ``--customers``
customers, each with an e-mail identity, ``--messages`` messages and audit lines
naming them, then measures, for ``--samples`` customers:

- the export (every registered section into a zip) beside a floor: the same rows
  read with one raw SQL query per table and written as JSON into a zip;
- the erasure (every registered eraser, one transaction each, the full-text index
  merge and the write-ahead log checkpoint) beside a floor: raw SQL updates and
  deletes of the same rows plus one LIKE scan of the audit table.

Prints JSON with p50/p95 of each and the ours/floor ratios.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
FLOOR_TABLES = (
    ("customers_customer", "id"),
    ("customers_identity", "customer_id"),
    ("conversations_interaction", "customer_id"),
    ("cases_case", "customer_id"),
    ("commerce_order", "customer_id"),
)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def _describe(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(_percentile(values, 0.5) * 1000, 2),
        "p95_ms": round(_percentile(values, 0.95) * 1000, 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--messages", type=int, default=10)
    parser.add_argument("--samples", type=int, default=20)
    options = parser.parse_args(argv)

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    database = BENCH_DIR / "privacy.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["AMIABLE_TASKS"] = "database"  # requests are run here, not queued
    os.environ.setdefault("AMIABLE_VAR_DIR", str(BENCH_DIR / "privacy-var"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amiable.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from amiable.audit.models import AuditEvent
    from amiable.conversations.models import Channel, Direction, Interaction
    from amiable.customers.models import Customer, Identity, IdentityKind
    from amiable.privacy.models import DataRequest, RequestKind, RequestSource
    from amiable.privacy.services import data_request_erase, data_request_export
    from amiable.privacy.services.requests import legal_due_at

    call_command("migrate", interactive=False, verbosity=0)
    now = timezone.now()
    with transaction.atomic():
        customers = Customer.objects.bulk_create(
            Customer(name=f"Hélène Dupré {n:05d}") for n in range(options.customers)
        )
        Identity.objects.bulk_create(
            Identity(
                customer=customer,
                kind=IdentityKind.EMAIL,
                value=f"helene.{customer.pk}@exemple.fr",
                normalized=f"helene.{customer.pk}@exemple.fr",
            )
            for customer in customers
        )
        Interaction.objects.bulk_create(
            Interaction(
                customer=customer,
                channel=Channel.EMAIL,
                direction=Direction.INBOUND,
                occurred_at=now,
                subject="Colis",
                body_text=f"Bonjour, je suis {customer.name}, où est mon colis ?",
            )
            for customer in customers
            for _ in range(options.messages)
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                occurred_at=now,
                actor_label="bench",
                action="customer.update",
                object_type="customers.customer",
                object_id=str(customer.pk),
                before={"name": customer.name},
                after={"name": customer.name + " B"},
            )
            for customer in customers
            for _ in range(3)
        )

    def request_for(customer: Customer, kind: str) -> DataRequest:
        return DataRequest.objects.create(
            kind=kind,
            source=RequestSource.STAFF,
            customer=customer,
            requested_at=now,
            due_at=legal_due_at(now),
        )

    def export_floor(customer_id: int) -> None:
        buffer = io.BytesIO()
        with connection.cursor() as cursor, zipfile.ZipFile(buffer, "w") as archive:
            for table, column in FLOOR_TABLES:
                cursor.execute(
                    f'SELECT * FROM "{table}" WHERE "{column}" = %s',  # noqa: S608
                    [customer_id],
                )
                rows = [list(map(str, row)) for row in cursor.fetchall()]
                archive.writestr(f"{table}.json", json.dumps(rows))

    def erase_floor(customer: Customer) -> None:
        email = f"helene.{customer.pk}@exemple.fr"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "UPDATE conversations_interaction SET subject = '', body_text = '' "
                "WHERE customer_id = %s",
                [customer.pk],
            )
            cursor.execute(
                "DELETE FROM customers_identity WHERE customer_id = %s", [customer.pk]
            )
            cursor.execute(
                "UPDATE customers_customer SET name = '' WHERE id = %s", [customer.pk]
            )
            cursor.execute(
                "SELECT id FROM audit_auditevent WHERE before LIKE %s OR after LIKE %s",
                [f"%{email}%", f"%{email}%"],
            )
            cursor.fetchall()

    samples = options.samples
    targets = customers[: samples * 4]
    exports, export_floors, erasures, erasure_floors = [], [], [], []
    for index in range(samples):
        mine, floor = targets[4 * index], targets[4 * index + 1]
        started = time.perf_counter()
        data_request_export(request_for(mine, RequestKind.EXPORT))
        exports.append(time.perf_counter() - started)
        started = time.perf_counter()
        export_floor(floor.pk)
        export_floors.append(time.perf_counter() - started)
        mine, floor = targets[4 * index + 2], targets[4 * index + 3]
        started = time.perf_counter()
        data_request_erase(request_for(mine, RequestKind.ERASURE))
        erasures.append(time.perf_counter() - started)
        started = time.perf_counter()
        erase_floor(floor)
        erasure_floors.append(time.perf_counter() - started)

    def ratio(ours: list[float], floor: list[float]) -> float:
        return round(_percentile(ours, 0.5) / max(_percentile(floor, 0.5), 1e-9), 1)

    result: dict[str, Any] = {
        "machine": platform.platform(),
        "customers": options.customers,
        "messages_per_customer": options.messages,
        "audit_lines": AuditEvent.objects.count(),
        "export": {
            "ours": _describe(exports),
            "floor": _describe(export_floors),
            "ratio_p50": ratio(exports, export_floors),
        },
        "erasure": {
            "ours": _describe(erasures),
            "floor": _describe(erasure_floors),
            "ratio_p50": ratio(erasures, erasure_floors),
        },
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
