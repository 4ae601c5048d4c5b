"""Every lookup of the ingestion path uses an index on a populated database.

A few thousand customers, identities, cases, interactions (with external ids and
Message-IDs, and many without: the partial indexes leave those out) and ledger rows
are bulk-inserted; then real messages are ingested (a new case from a known
customer, a reply threaded by Message-ID, one threaded by the reference in its
subject, a duplicate, a webhook message answering an earlier one) while their SQL is
captured, and each captured SELECT is explained.

SQLite: ``EXPLAIN QUERY PLAN`` must not ``SCAN`` a large table except through an
index (``USING INDEX`` / ``USING COVERING INDEX``). PostgreSQL: the planner may
rightly prefer a sequential scan of a few thousand rows, so there the plan is taken
with ``SET LOCAL enable_seqscan = off``, which proves only that a usable index
exists: a ``Seq Scan`` on a large table that remains under it has no index at all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amiable.cases.models import Case
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.customers.models import Customer, Identity, IdentityKind
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.services import (
    ChannelMessage,
    IdentityRef,
    channel_message_receive,
    email_ingest,
)
from tests.factories.inbound import WebhookSourceFactory

pytestmark = pytest.mark.django_db(transaction=False)
ROWS = 3000
LARGE_TABLES = (
    "conversations_interaction",
    "cases_case",
    "customers_customer",
    "customers_identity",
    "inbound_inboundemail",
)


def _populate() -> None:
    """ROWS customers with an e-mail identity and a case each, three interactions
    per case (an inbound e-mail with its Message-ID, a webhook message with an
    external id, an internal note with neither) and a ledger row per e-mail."""
    at = timezone.now() - dt.timedelta(days=10)
    customers = Customer.objects.bulk_create(
        Customer(name=f"Client {n}", customer_since=at.date()) for n in range(ROWS)
    )
    Identity.objects.bulk_create(
        Identity(
            customer=customer,
            kind=IdentityKind.EMAIL,
            value=f"client{n}@exemple.fr",
            normalized=f"client{n}@exemple.fr",
            is_primary=True,
        )
        for n, customer in enumerate(customers)
    )
    cases = Case.objects.bulk_create(
        Case(
            reference=f"C-2025-{n + 1:06d}",
            customer=customer,
            subject=f"Commande {n}",
            opened_at=at,
            last_activity_at=at,
        )
        for n, customer in enumerate(customers)
    )
    rows: list[Interaction] = []
    for n, case in enumerate(cases):
        common = {"customer_id": case.customer_id, "case": case, "occurred_at": at}
        rows += [
            Interaction(
                channel=Channel.EMAIL,
                direction=Direction.INBOUND,
                body_text="Bonjour",
                external_id=f"m{n}@exemple.fr",
                message_id=f"m{n}@exemple.fr",
                **common,
            ),
            Interaction(
                channel=Channel.SMS,
                direction=Direction.INBOUND,
                body_text="Bonjour",
                external_id=f"sms:{n}",
                **common,
            ),
            Interaction(
                channel=Channel.NOTE,
                direction=Direction.INTERNAL,
                body_text="Note",
                **common,
            ),
        ]
    Interaction.objects.bulk_create(rows, batch_size=2000)
    InboundEmail.objects.bulk_create(
        InboundEmail(
            dedupe_key=f"mid:m{n}@exemple.fr",
            message_id=f"m{n}@exemple.fr",
            source="smtp",
            received_at=at,
            raw_sha256="0" * 64,
            raw_size=100,
            status=InboundStatus.THREADED,
        )
        for n in range(ROWS)
    )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return "\n".join(str(row[-1]) for row in cursor.fetchall())
        with transaction.atomic():
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(str(row[0]) for row in cursor.fetchall())


def full_scans(plan: str) -> list[str]:
    """The lines of ``plan`` that read a large table row by row."""
    found = []
    for line in plan.splitlines():
        for table in LARGE_TABLES:
            sqlite_scan = re.search(
                rf"\bSCAN {table}\b(?!.*\bUSING\b.*\bINDEX\b)", line
            )
            postgres_scan = re.search(rf"Seq Scan on {table}\b", line)
            if sqlite_scan or postgres_scan:
                found.append(line.strip())
    return found


@pytest.fixture
def captured_selects() -> Callable[[Callable[[], object]], list[str]]:
    _populate()

    def capture(action: Callable[[], object]) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            action()
        return [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].lstrip().upper().startswith("SELECT")
        ]

    return capture


def test_the_plan_check_sees_a_full_scan() -> None:
    assert full_scans("SCAN conversations_interaction") == [
        "SCAN conversations_interaction"
    ]
    assert (
        full_scans("SCAN conversations_interaction USING INDEX interaction_case_idx")
        == []
    )
    assert full_scans("Seq Scan on cases_case  (cost=0.00..1.01)") == [
        "Seq Scan on cases_case  (cost=0.00..1.01)"
    ]
    assert full_scans("SEARCH cases_case USING INDEX sqlite_autoindex (id=?)") == []


def test_ingestion_lookups_use_indexes_on_a_populated_database(
    make_email: Callable[..., bytes],
    captured_selects: Callable[[Callable[[], object]], list[str]],
) -> None:
    known = "Client 7 <client7@exemple.fr>"
    new_case = make_email(sender=known, message_id="<nouveau@exemple.fr>")
    by_message_id = make_email(
        sender="client8@exemple.fr",
        subject="Re: Commande 8",
        message_id="<suite8@exemple.fr>",
        in_reply_to="<m8@exemple.fr>",
        references="<m1@exemple.fr> <m8@exemple.fr>",
    )
    by_reference = make_email(
        sender="client9@exemple.fr",
        subject="Re: [C-2025-000010] Commande 9",
        message_id="<suite9@exemple.fr>",
    )
    sms = ChannelMessage(
        channel=Channel.SMS,
        external_id="77",
        identities=[IdentityRef(kind=IdentityKind.PHONE, value="+33612345678")],
        name="Client SMS",
        text="Et ma commande ?",
        reply_to_external_id="sms:11",
    )
    source = WebhookSourceFactory.create(slug="sms")

    selects = captured_selects(
        lambda: (
            email_ingest(raw=new_case, source="smtp"),
            email_ingest(raw=by_message_id, source="smtp"),
            email_ingest(raw=by_reference, source="smtp"),
            email_ingest(raw=new_case, source="smtp"),  # a duplicate
            channel_message_receive(source=source, nonce="n-1", message=sms),
        )
    )

    statuses = list(InboundEmail.objects.filter(source="smtp").order_by("-id")[:3])
    assert [email.status for email in statuses] == [
        InboundStatus.THREADED,
        InboundStatus.THREADED,
        InboundStatus.OPENED,
    ]
    tables_read = {
        table for sql in selects for table in LARGE_TABLES if f'"{table}"' in sql
    }
    assert tables_read == set(LARGE_TABLES)
    scans = {sql: full_scans(_plan(sql)) for sql in selects}
    assert {sql: lines for sql, lines in scans.items() if lines} == {}
