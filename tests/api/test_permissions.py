"""Authorisation per role: anonymous, agent of another team, agent, supervisor,
admin. Nothing leaks (404 for invisible cases) and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.commerce.models import Product
from amiable.conversations.models import Interaction
from amiable.customers.models import Customer
from tests.api.conftest import ClientFor
from tests.factories import CustomerFactory, InteractionFactory

JSON = "application/json"
ROLES = ["anonymous", "other_agent", "agent", "supervisor", "admin_user"]


@pytest.fixture
def role_client(
    request: pytest.FixtureRequest, client_for: ClientFor, db: None
) -> Client:
    """A client for the role named by the test's ``role`` parameter."""
    role = request.getfixturevalue("role")
    if role == "anonymous":
        return Client()
    user: User = request.getfixturevalue(role)
    return client_for(user)


CASE_READS = {
    "anonymous": 401,
    "other_agent": 404,
    "agent": 200,
    "supervisor": 200,
    "admin_user": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_case_read_per_role(role_client: Client, team_case: Case, role: str) -> None:
    response = role_client.get(f"/api/v1/cases/{team_case.pk}")

    assert response.status_code == CASE_READS[role]


@pytest.mark.parametrize(
    ("role", "sees"),
    [("other_agent", 0), ("agent", 1), ("supervisor", 1), ("admin_user", 1)],
)
def test_case_list_shows_only_visible_cases(
    role_client: Client, team_case: Case, role: str, sees: int
) -> None:
    response = role_client.get("/api/v1/cases")

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [team_case.pk] * sees


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "", {"version": 1, "subject": "Piraté"}),
        ("post", "/replies", {"body_text": "Bonjour"}),
        ("post", "/notes", {"body_text": "Note"}),
        ("post", "/status", {"status": "closed"}),
        ("post", "/assign", {"assignee_id": None}),
        ("post", "/orders", {"order_ids": [1]}),
        (
            "post",
            "/calls",
            {"direction": "inbound", "duration_seconds": 3, "outcome": "busy"},
        ),
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "other_agent"])
def test_case_writes_denied_write_nothing(
    role_client: Client,
    team_case: Case,
    role: str,
    method: str,
    path: str,
    body: dict[str, Any],
) -> None:
    send = getattr(role_client, method)
    events_before = AuditEvent.objects.count()

    response = send(f"/api/v1/cases/{team_case.pk}{path}", data=body, content_type=JSON)

    team_case.refresh_from_db()
    assert response.status_code == {"anonymous": 401, "other_agent": 404}[role]
    assert team_case.version == 1
    assert Interaction.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_interaction_on_invisible_case_is_hidden(
    client_for: ClientFor, other_agent: User, team_case: Case
) -> None:
    hidden = InteractionFactory.create(customer=team_case.customer, case=team_case)
    client = client_for(other_agent)

    listed = client.get(f"/api/v1/interactions?customer_id={team_case.customer_id}")
    fetched = client.get(f"/api/v1/interactions/{hidden.pk}")

    assert listed.json()["items"] == []
    assert fetched.status_code == 404


PRODUCT_CREATE = {
    "anonymous": 401,
    "other_agent": 403,
    "agent": 403,
    "supervisor": 403,
    "admin_user": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_product_create_is_admin_only(role_client: Client, role: str) -> None:
    response = role_client.post(
        "/api/v1/products",
        data={"sku": "X-1", "name": "Vase", "price": "10.00"},
        content_type=JSON,
    )

    assert response.status_code == PRODUCT_CREATE[role]
    assert Product.objects.count() == {"admin_user": 1}.get(role, 0)


MERGE = {
    "anonymous": 401,
    "other_agent": 403,
    "agent": 403,
    "supervisor": 201,
    "admin_user": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_merge_is_for_supervisors_and_above(
    role_client: Client, customer: Customer, role: str
) -> None:
    source = CustomerFactory.create()

    response = role_client.post(
        "/api/v1/customers/merges",
        data={"source_id": source.pk, "target_id": customer.pk},
        content_type=JSON,
    )

    source.refresh_from_db()
    assert response.status_code == MERGE[role]
    assert source.status == {201: "merged"}.get(response.status_code, "active")


@pytest.mark.parametrize("role", ROLES)
def test_customer_create_needs_authentication(role_client: Client, role: str) -> None:
    response = role_client.post(
        "/api/v1/customers", data={"name": "Jean"}, content_type=JSON
    )

    assert response.status_code == {"anonymous": 401}.get(role, 201)
    assert Customer.objects.count() == {"anonymous": 0}.get(role, 1)


def test_agent_cannot_assign_a_case_to_someone_else(
    client_for: ClientFor, agent: User, supervisor: User, team_case: Case
) -> None:
    response = client_for(agent).post(
        f"/api/v1/cases/{team_case.pk}/assign",
        data={"assignee_id": supervisor.pk},
        content_type=JSON,
    )

    team_case.refresh_from_db()
    assert response.status_code == 403
    assert team_case.assignee_id is None


def test_tokens_of_others_are_not_revocable(
    client_for: ClientFor, agent: User, supervisor: User
) -> None:
    client_for(supervisor)
    supervisor_token = supervisor.api_tokens.get()

    response = client_for(agent).delete(f"/api/v1/me/tokens/{supervisor_token.pk}")

    supervisor_token.refresh_from_db()
    assert response.status_code == 404
    assert supervisor_token.revoked_at is None
