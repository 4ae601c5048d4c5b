"""What the fuzzer (schemathesis) found: answers that did not match the document.

Each test pins one class of finding: a wrong JSON type coerced by pydantic's lax
mode, a PATCH schema that documented ``null`` where it is refused, a local time of
day documented as an RFC 3339 time, an unreadable multipart body answered 500.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.cases.models import Case, RoutingRule
from amiable.commerce.models import Order
from amiable.customers.models import Customer
from amiable.sla.models import BusinessCalendar
from tests.api.conftest import ClientFor
from tests.factories import ProductFactory

JSON = "application/json"


@pytest.fixture
def admin_api(client_for: ClientFor, admin_user: User) -> Client:
    return client_for(admin_user)


@pytest.fixture
def document(db: None) -> dict[str, Any]:
    return Client().get("/api/v1/openapi.json").json()


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "/api/v1/customers",
            {"name": "Élodie", "customer_since": 0},
            "customer_since",
        ),
        (
            "/api/v1/customers",
            {"name": "Élodie", "customer_since": "0"},
            "customer_since",
        ),
        ("/api/v1/cases/routing/rules", {"name": "Colis", "is_active": 0}, "is_active"),
        (
            "/api/v1/cases/routing/rules",
            {"name": "Colis", "is_active": "yes"},
            "is_active",
        ),
        (
            "/api/v1/cases/routing/rules",
            {"name": "Colis", "position": False},
            "position",
        ),
    ],
)
def test_a_value_of_the_wrong_json_type_is_refused(
    admin_api: Client, path: str, body: dict[str, Any], field: str
) -> None:
    response = admin_api.post(path, data=body, content_type=JSON)

    assert (response.status_code, response.json()["code"]) == (422, "validation_error")
    assert list(response.json()["fields"]) == [field]
    assert Customer.objects.count() == 0
    assert RoutingRule.objects.count() == 0


def test_a_timestamp_is_not_a_date_in_a_query(admin_api: Client) -> None:
    response = admin_api.get("/api/v1/costs/report", {"date_to": "0"})

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["date_to"]


def test_the_right_json_types_are_still_accepted(admin_api: Client) -> None:
    response = admin_api.post(
        "/api/v1/customers",
        data={"name": "Élodie", "customer_since": "2024-03-01"},
        content_type=JSON,
    )
    report = admin_api.get("/api/v1/costs/report", {"date_to": "2026-01-31"})

    assert response.status_code == 201
    assert response.json()["customer_since"] == "2024-03-01"
    assert report.status_code == 200


def test_patch_bodies_document_null_only_where_it_is_accepted(
    document: dict[str, Any],
) -> None:
    schemas = document["components"]["schemas"]

    case_kind = schemas["CaseUpdateIn"]["properties"]["kind"]
    customer_since = schemas["CustomerUpdateIn"]["properties"]["customer_since"]
    assert {"type": "null"} not in case_kind.get("anyOf", [])
    assert "default" not in case_kind
    assert {"type": "null"} in customer_since["anyOf"]


def test_opening_hours_are_documented_as_they_are_written(
    admin_api: Client, document: dict[str, Any]
) -> None:
    calendar = BusinessCalendar.objects.get(is_default=True)
    start = document["components"]["schemas"]["OpeningIntervalIO"]["properties"][
        "start"
    ]

    hours = admin_api.get(f"/api/v1/sla/calendars/{calendar.pk}").json()
    assert "format" not in start
    assert all(
        re.match(start["pattern"], interval["start"])
        for interval in hours["opening_hours"]
    )


def test_an_opening_hour_with_an_offset_is_refused_in_the_schema(
    admin_api: Client,
) -> None:
    response = admin_api.post(
        "/api/v1/sla/calendars",
        data={
            "name": "Entrepôt",
            "opening_hours": [{"weekday": 0, "start": "09:00+01:00", "end": "18:00"}],
        },
        content_type=JSON,
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["opening_hours.0.start"]


@pytest.mark.parametrize(
    "path", ["/cases/{case}/replies", "/cases/{case}/messages", "/tracking/imports"]
)
def test_a_multipart_body_without_boundary_is_a_400(
    admin_api: Client, team_case: Case, path: str
) -> None:
    response = admin_api.generic(
        "POST",
        "/api/v1" + path.format(case=team_case.pk),
        b"--x\r\n",
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"


def test_every_reference_in_the_document_resolves(document: dict[str, Any]) -> None:
    text = str(document)
    references = set(re.findall(r"#/components/schemas/([A-Za-z0-9_.-]+)", text))

    assert references - set(document["components"]["schemas"]) == set()


def test_money_in_a_request_is_documented_as_a_decimal_string(
    document: dict[str, Any],
) -> None:
    price = document["components"]["schemas"]["ProductIn"]["properties"]["price"]

    string = next(variant for variant in price["anyOf"] if variant["type"] == "string")
    assert re.match(string["pattern"], "19.90")
    assert not re.match(string["pattern"], "19.999")
    assert not re.match(string["pattern"], "abc")


def test_an_order_total_too_large_to_store_is_refused(
    admin_api: Client, customer: Customer
) -> None:
    product = ProductFactory.create()

    response = admin_api.post(
        "/api/v1/orders",
        data={
            "customer_id": customer.pk,
            "external_ref": "CMD-1",
            "placed_at": "2026-03-01T10:00:00Z",
            "lines": [
                {
                    "product_id": product.pk,
                    "quantity": 1000,
                    "unit_price": "999999999999.99",
                }
            ],
        },
        content_type=JSON,
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["lines"]
    assert Order.objects.count() == 0
