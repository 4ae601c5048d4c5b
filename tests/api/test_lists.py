"""Lists: keyset pages, tampered cursors, filters, sorting, search, query counts."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amiable.accounts.models import User
from amiable.customers.models import Customer
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    InteractionFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShipmentFactory,
    TrackingEventFactory,
)


def _all_pages(client: Client, url: str, limit: int) -> tuple[list[int], int]:
    ids: list[int] = []
    pages = 0
    cursor = ""
    while True:
        separator = "&" if "?" in url else "?"
        response = client.get(f"{url}{separator}limit={limit}&cursor={cursor}")
        assert response.status_code == 200
        pages += 1
        ids += [item["id"] for item in response.json()["items"]]
        cursor = response.json()["next_cursor"] or ""
        if not cursor:
            return ids, pages


def test_customer_pages_have_no_duplicates_or_omissions(api_client: Client) -> None:
    customers = [CustomerFactory.create(name=f"Client {i % 3}") for i in range(11)]
    expected = [c.pk for c in sorted(customers, key=lambda c: (c.name, c.pk))]

    ids, pages = _all_pages(api_client, "/api/v1/customers", limit=4)

    assert ids == expected
    assert pages == 3


def test_previous_cursor_goes_back(api_client: Client) -> None:
    for i in range(6):
        CustomerFactory.create(name=f"Client {i}")
    first = api_client.get("/api/v1/customers?limit=2").json()
    second = api_client.get(
        f"/api/v1/customers?limit=2&cursor={first['next_cursor']}"
    ).json()

    back = api_client.get(
        f"/api/v1/customers?limit=2&cursor={second['previous_cursor']}"
    ).json()

    assert [item["id"] for item in back["items"]] == [
        item["id"] for item in first["items"]
    ]


def _forge(values: list[Any]) -> str:
    raw = json.dumps({"v": values, "b": False}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "%%%",
        _forge(["Jean"]),
        _forge([{"t": "dt", "v": "not a date"}, 1]),
        _forge(["Jean", "not an id"]),
        _forge(["Jean", None]),
        _forge([["nested"], 1]),
        _forge([{"t": "zz", "v": 1}, 1]),
        _forge(["Jean", 2**80]),
    ],
)
def test_tampered_cursor_gives_422(api_client: Client, cursor: str) -> None:
    CustomerFactory.create()

    response = api_client.get(f"/api/v1/customers?cursor={cursor}")

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["cursor"]


@pytest.mark.parametrize("limit", [0, 201, -1, "many"])
def test_limit_out_of_bounds_gives_422(api_client: Client, limit: object) -> None:
    response = api_client.get(f"/api/v1/cases?limit={limit}")

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["limit"]


def test_customer_filters_sort_and_search(api_client: Client) -> None:
    alpha = CustomerFactory.create(name="Alpha Dupont", kind="company")
    CustomerFactory.create(name="Beta Durand")
    gamma = CustomerFactory.create(name="Gamma Dupont")

    searched = api_client.get("/api/v1/customers?q=dupont&sort=-name").json()
    companies = api_client.get("/api/v1/customers?kind=company").json()

    assert [item["id"] for item in searched["items"]] == [gamma.pk, alpha.pk]
    assert [item["id"] for item in companies["items"]] == [alpha.pk]


def test_case_filters_and_search(api_client: Client, agent: User) -> None:
    customer = CustomerFactory.create(name="Zoé Lambert")
    urgent = CaseFactory.create(
        customer=customer, team=agent.team, priority="urgent", subject="Remboursement"
    )
    CaseFactory.create(team=agent.team, priority="low", subject="Question livraison")
    resolved = CaseFactory.create(
        team=agent.team, status="resolved", subject="Remboursement effectué"
    )

    by_priority = api_client.get("/api/v1/cases?priority=urgent&priority=high").json()
    searched = api_client.get("/api/v1/cases?q=Remboursement&sort=opened_at").json()
    open_only = api_client.get("/api/v1/cases?q=Remboursement&open_only=true").json()
    by_status = api_client.get("/api/v1/cases?status=resolved").json()

    assert [item["id"] for item in by_priority["items"]] == [urgent.pk]
    assert [item["id"] for item in searched["items"]] == [urgent.pk, resolved.pk]
    assert [item["id"] for item in open_only["items"]] == [urgent.pk]
    assert [item["id"] for item in by_status["items"]] == [resolved.pk]


def test_unknown_filter_value_gives_422(api_client: Client) -> None:
    response = api_client.get("/api/v1/cases?status=lost&sort=random")

    assert response.status_code == 422
    assert sorted(response.json()["fields"]) == ["sort", "status.0"]


def test_interaction_search_and_sort(api_client: Client) -> None:
    customer = CustomerFactory.create()
    now = timezone.now()
    older = InteractionFactory.create(
        customer=customer, body_text="Mon colis est arrivé cassé", occurred_at=now
    )
    newer = InteractionFactory.create(
        customer=customer,
        body_text="Le colis n'est jamais arrivé",
        occurred_at=now + dt.timedelta(hours=1),
    )
    InteractionFactory.create(customer=customer, body_text="Merci beaucoup")

    response = api_client.get(
        f"/api/v1/interactions?q=colis&customer_id={customer.pk}&sort=occurred_at"
    )

    assert [item["id"] for item in response.json()["items"]] == [older.pk, newer.pk]


def _orders_with_details(customer: Customer, count: int) -> None:
    for _ in range(count):
        order = OrderFactory.create(customer=customer)
        OrderLineFactory.create(order=order)
        OrderLineFactory.create(order=order)
        shipment = ShipmentFactory.create(order=order)
        TrackingEventFactory.create(shipment=shipment)


@pytest.mark.parametrize(
    ("url", "max_queries", "count"),
    [
        ("/api/v1/customers", 4, 1),
        ("/api/v1/cases", 5, 8),  # +2: the page's tags and custom fields, prefetched
        ("/api/v1/interactions", 4, 8),
        ("/api/v1/orders", 7, 5),
        ("/api/v1/products", 3, 18),
    ],
)
def test_list_endpoints_make_a_fixed_number_of_queries(
    api_client: Client,
    agent: User,
    django_assert_max_num_queries: Any,
    url: str,
    max_queries: int,
    count: int,
) -> None:
    customer = CustomerFactory.create()
    customer.tags.create(name="VIP")
    for _ in range(8):
        case = CaseFactory.create(customer=customer, team=agent.team, assignee=agent)
        InteractionFactory.create(customer=customer, case=case)
        ProductFactory.create()
    _orders_with_details(customer, 5)

    with django_assert_max_num_queries(max_queries):
        response = api_client.get(url)

    assert len(response.json()["items"]) == count


def test_token_list_makes_a_fixed_number_of_queries(
    client_for: Any, agent: User, django_assert_max_num_queries: Any
) -> None:
    client = client_for(agent)
    for _ in range(4):
        client_for(agent)

    with django_assert_max_num_queries(3):
        response = client.get("/api/v1/me/tokens")

    assert len(response.json()) == 5


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=%00", "q"),
        ("customer_id=abc", "customer_id"),
        ("team_id=99999999999999999999999", "team_id"),
        ("open_only=maybe", "open_only"),
        ("assignee=someone", "assignee"),
        ("q=" + "x" * 201, "q"),
    ],
)
def test_bad_query_parameters_give_422(
    api_client: Client, query: str, field: str
) -> None:
    response = api_client.get(f"/api/v1/cases?{query}")

    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field]
