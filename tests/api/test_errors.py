"""Every error code of the API, and garbage input that must never give a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.customers.models import Customer
from tests.api.conftest import ClientFor
from tests.factories import OrderFactory, ProductFactory

JSON = "application/json"


def test_no_token_gives_401_json(db: None) -> None:
    response = Client().get("/api/v1/cases")

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "header",
    ["Bearer nonsense", "Bearer amb_deadbeef_secret", "Basic Zm9vOmJhcg==", "Bearer "],
)
def test_invalid_token_gives_401(db: None, header: str) -> None:
    response = Client(headers={"Authorization": header}).get("/api/v1/me")

    assert response.status_code == 401
    assert response.json() == {
        "code": "not_authenticated",
        "message": response.json()["message"],
        "fields": {},
    }


def test_revoked_token_gives_401(agent: User, token_for: Any) -> None:
    token = token_for(agent)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    token_id = client.get("/api/v1/me/tokens").json()[0]["id"]

    revoked = client.delete(f"/api/v1/me/tokens/{token_id}")
    after = client.get("/api/v1/me")

    assert revoked.status_code == 200
    assert revoked.json()["is_active"] is False
    assert after.status_code == 401


def test_malformed_json_gives_400(api_client: Client) -> None:
    response = api_client.post(
        "/api/v1/customers", data='{"name": "Jean', content_type=JSON
    )

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Jean", "colour": "blue"}, "colour"),
        ({"name": 12}, "name"),
        ({}, "name"),
        ({"name": None}, "name"),
        ({"name": "Jean", "customer_since": "2024-02-30"}, "customer_since"),
        ({"name": "Jean", "preferred_language": "de"}, "preferred_language"),
        (
            {"name": "Jean", "identities": [{"kind": "fax", "value": "1"}]},
            "identities.0.kind",
        ),
        ({"name": "Jean\x00"}, "name"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_schema_errors_give_422_with_the_field(
    api_client: Client, body: dict[str, Any], field: str
) -> None:
    response = api_client.post("/api/v1/customers", data=body, content_type=JSON)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["fields"]) == [field]
    assert Customer.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            {
                "name": ["Texte attendu."],
                "customer_since": ["Date attendue (AAAA-MM-JJ)."],
            },
        ),
        (
            "en",
            {
                "name": ["Expected a text."],
                "customer_since": ["Expected a date (YYYY-MM-DD)."],
            },
        ),
    ],
)
def test_type_errors_read_in_the_clients_language(
    api_client: Client, language: str, expected: dict[str, list[str]]
) -> None:
    response = api_client.post(
        "/api/v1/customers",
        data={"name": 12, "customer_since": "le 3 mai"},
        content_type=JSON,
        headers={"accept-language": language},
    )

    assert response.status_code == 422
    assert response.json()["fields"] == expected


def test_a_too_long_text_says_its_limit_in_french(api_client: Client) -> None:
    response = api_client.post(
        "/api/v1/customers", data={"name": "x" * 201}, content_type=JSON
    )

    assert response.json()["fields"] == {"name": ["Au plus 200 caractères."]}


@pytest.mark.parametrize(
    "raw",
    [
        "[1, 2, 3]",
        '"a string"',
        "null",
        "42",
        '{"name": "Jean", "customer_since": 99999999999999999999999999}',
        '{"name": {"nested": true}}',
        "NaN",
        "\xff\xfe garbage",
        '{"name": "' + "é" * 300 + '"}',
    ],
)
def test_garbage_bodies_never_give_500(api_client: Client, raw: str) -> None:
    response = api_client.post(
        "/api/v1/customers",
        data=raw.encode("utf-8", "surrogatepass"),
        content_type=JSON,
    )

    assert response.status_code in {400, 422}
    assert set(response.json()) == {"code", "message", "fields"}


def test_unicode_and_accents_round_trip(api_client: Client) -> None:
    response = api_client.post(
        "/api/v1/customers",
        data={"name": "Zoë ☃ 𝄞 Ñandú", "notes": "e\u0301té"},
        content_type=JSON,
    )

    assert response.status_code == 201
    assert response.json()["name"] == "Zoë ☃ 𝄞 Ñandú"
    assert response.json()["notes"] == "e\u0301té"


@pytest.mark.parametrize(
    ("url", "body"),
    [
        (
            "/api/v1/orders",
            {
                "customer_id": 2**70,
                "external_ref": "X",
                "placed_at": "2026-01-01T10:00:00+01:00",
                "lines": [{"product_id": 1, "quantity": 1, "unit_price": "1.00"}],
            },
        ),
        (
            "/api/v1/orders",
            {
                "customer_id": 1,
                "external_ref": "X",
                "placed_at": "yesterday",
                "lines": [],
            },
        ),
        (
            "/api/v1/orders",
            {
                "customer_id": 1,
                "external_ref": "X",
                "placed_at": "2026-01-01T10:00:00Z",
                "lines": [{"product_id": 1, "quantity": 10**12, "unit_price": "1e400"}],
            },
        ),
        ("/api/v1/cases", {"customer_id": -1, "subject": ""}),
        (
            "/api/v1/interactions",
            {
                "customer_id": 1,
                "channel": "pigeon",
                "direction": "inbound",
                "metadata": [],
            },
        ),
    ],
)
def test_out_of_range_values_give_422(
    api_client: Client, url: str, body: dict[str, Any]
) -> None:
    response = api_client.post(url, data=body, content_type=JSON)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/customers/999999",
        "/api/v1/customers/9223372036854775807",
        "/api/v1/cases/999999",
        "/api/v1/orders/999999",
        "/api/v1/products/999999",
        "/api/v1/interactions/999999",
        "/api/v1/shipments/999999",
        "/api/v1/no-such-resource",
    ],
)
def test_unknown_id_gives_404(api_client: Client, url: str) -> None:
    response = api_client.get(url)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "url", ["/api/v1/customers/abc", "/api/v1/cases/99999999999999999999999"]
)
def test_ids_that_are_not_ids_never_give_500(api_client: Client, url: str) -> None:
    response = api_client.get(url)

    assert response.status_code in {404, 422}
    assert response.json()["code"] in {"not_found", "validation_error"}


def test_unsupported_method_gives_405_json(api_client: Client) -> None:
    response = api_client.put("/api/v1/cases", data={}, content_type=JSON)

    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response["Allow"] == "GET, POST"


def test_duplicate_order_reference_gives_409(api_client: Client) -> None:
    existing = OrderFactory.create(external_ref="CMD-42")
    product = ProductFactory.create()
    body = {
        "customer_id": existing.customer_id,
        "external_ref": "CMD-42",
        "placed_at": "2026-01-05T10:00:00+01:00",
        "lines": [{"product_id": product.pk, "quantity": 1, "unit_price": "9.90"}],
    }

    response = api_client.post("/api/v1/orders", data=body, content_type=JSON)

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert response.json()["fields"] == {
        "external_ref": [response.json()["fields"]["external_ref"][0]]
    }


def test_stale_version_gives_409(api_client: Client, team_case: Case) -> None:
    url = f"/api/v1/cases/{team_case.pk}"
    first = api_client.patch(
        url, data={"version": 1, "priority": "high"}, content_type=JSON
    )

    second = api_client.patch(
        url, data={"version": 1, "priority": "low"}, content_type=JSON
    )

    assert first.status_code == 200
    assert first.json()["version"] == 2
    assert second.status_code == 409
    assert second.json()["code"] == "version_conflict"
    assert list(second.json()["fields"]) == ["version"]


def test_patch_without_version_gives_422(api_client: Client, team_case: Case) -> None:
    response = api_client.patch(
        f"/api/v1/cases/{team_case.pk}", data={"priority": "high"}, content_type=JSON
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["version"]


def test_illegal_transition_gives_409(api_client: Client, team_case: Case) -> None:
    url = f"/api/v1/cases/{team_case.pk}"
    api_client.post(
        f"{url}/resolve", data={"resolution_summary": "Réglé"}, content_type=JSON
    )

    response = api_client.post(
        f"{url}/status", data={"status": "waiting_customer"}, content_type=JSON
    )

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert response.json()["fields"] == {"status": ["Possibles : closed, open"]}


def test_agent_merging_customers_gives_403_and_writes_nothing(
    api_client: Client, customer: Customer
) -> None:
    other = Customer.objects.exclude(pk=customer.pk).first() or customer
    events_before = AuditEvent.objects.count()

    response = api_client.post(
        "/api/v1/customers/merges",
        data={"source_id": other.pk, "target_id": customer.pk},
        content_type=JSON,
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert AuditEvent.objects.count() == events_before


def test_session_post_without_csrf_gives_403(agent: User, customer: Customer) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)

    response = client.post(
        f"/api/v1/customers/{customer.pk}/facts",
        data={"category": "size", "value": "M", "purpose": "gifts", "source": "phone"},
        content_type=JSON,
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert customer.facts.count() == 0


def test_session_post_with_csrf_succeeds(agent: User, customer: Customer) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(agent)
    client.get("/api/v1/me")
    token = "a" * 32
    client.cookies["csrftoken"] = token

    response = client.post(
        f"/api/v1/customers/{customer.pk}/facts",
        data={"category": "size", "value": "M", "purpose": "gifts", "source": "phone"},
        content_type=JSON,
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201
    assert response.json()["value"] == "M"


def test_session_get_works_without_token(web_client: Client) -> None:
    response = web_client.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["username"] == "agent"


def test_application_errors_keep_their_fields(
    client_for: ClientFor, agent: User, customer: Customer
) -> None:
    response = client_for(agent).post(
        f"/api/v1/customers/{customer.pk}/identities",
        data={"kind": "phone", "value": "+33 1"},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["fields"]) == ["value"]


@pytest.mark.parametrize(
    ("url_kind", "body", "field"),
    [
        ("case", {"version": 1, "subject": None}, "subject"),
        ("case", {"version": 1, "kind": None}, "kind"),
        ("case", {"version": 1, "priority": None}, "priority"),
        ("customer", {"name": None}, "name"),
    ],
)
def test_patch_with_null_gives_422(
    api_client: Client,
    team_case: Case,
    customer: Customer,
    url_kind: str,
    body: dict[str, Any],
    field: str,
) -> None:
    url = {
        "case": f"/api/v1/cases/{team_case.pk}",
        "customer": f"/api/v1/customers/{customer.pk}",
    }[url_kind]

    response = api_client.patch(url, data=body, content_type=JSON)

    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field]
