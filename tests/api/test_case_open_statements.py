"""``POST /api/v1/cases``: one transaction, at most 12 statements, the answer built
from what was written (equal to reading the case back), idempotent."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.events.models import DomainEvent
from tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db(transaction=True)
CASE_OPEN_STATEMENTS = 12


@pytest.fixture(autouse=True)
def _database_tasks(settings: Settings) -> None:
    """Tasks are rows, as in production: enqueuing one is a statement."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _open(client: Client, payload: dict[str, Any], key: str) -> Any:
    return client.post(
        "/api/v1/cases",
        payload,
        content_type="application/json",
        headers={"Idempotency-Key": key},
    )


def test_opening_a_case_is_one_transaction_of_at_most_12_statements(
    api_client: Client,
) -> None:
    customer = CustomerFactory.create()
    payload = {
        "customer_id": customer.pk,
        "subject": "Colis jamais arrivé",
        "kind": "complaint",
        "body_text": "Mon colis n'est jamais arrivé.",
        "occurred_at": "2026-04-02T16:00:00+02:00",
    }
    assert _open(api_client, payload | {"subject": "Premier"}, "k-0").status_code == 201

    with CaptureQueriesContext(connection) as captured:
        response = _open(api_client, payload, "k-1")

    assert response.status_code == 201, response.content
    statements = [query["sql"] for query in captured.captured_queries]
    assert len(statements) <= CASE_OPEN_STATEMENTS, "\n".join(statements)
    assert sum(sql.startswith("BEGIN") for sql in statements) == 1
    assert not [sql for sql in statements if "SAVEPOINT" in sql]
    audit_inserts = [s for s in statements if s.startswith('INSERT INTO "audit_')]
    event_inserts = [s for s in statements if s.startswith('INSERT INTO "events_')]
    assert (len(audit_inserts), len(event_inserts)) == (1, 1)  # in bulk
    case = Case.objects.get(pk=response.json()["id"])
    assert response.json() == api_client.get(f"/api/v1/cases/{case.pk}").json()
    assert response.json()["opened_at"] == "2026-04-02T14:00:00Z"
    assert sorted(
        AuditEvent.objects.filter(
            Q(object_type="cases.case", object_id=str(case.pk))
            | Q(
                object_type="conversations.interaction",
                object_id=str(case.interactions.get().pk),
            )
        ).values_list("action", flat=True)
    ) == ["case.open", "interaction.record"]
    assert DomainEvent.objects.filter(
        payload__case_id=case.pk, name="case.opened"
    ).exists()


def test_the_same_key_replays_the_answer_and_opens_nothing_more(
    api_client: Client,
) -> None:
    customer = CustomerFactory.create()
    payload = {"customer_id": customer.pk, "subject": "Colis", "body_text": "Où ?"}
    first = _open(api_client, payload, "k-same")

    with CaptureQueriesContext(connection) as captured:
        again = _open(api_client, payload, "k-same")

    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    assert len(captured) == 2  # the token, the stored answer
