"""Customer list and customer page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amiable.accounts.models import Team, User
from amiable.cases.models import CaseStatus
from amiable.customers.models import ConsentPurpose, Customer
from amiable.customers.services import address_add, consent_record
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    InteractionFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
    ShipmentFactory,
    TrackingEventFactory,
)

LIST = "/customers/"
NAME = re.compile(r'<td><a href="/customers/\d+/">([^<]+)</a>')


def names(response: object) -> list[str]:
    return NAME.findall(response.content.decode())  # type: ignore[attr-defined]


def test_list_is_sorted_by_name_and_searchable(web_client: Client) -> None:
    CustomerFactory.create(name="Zoé Petit")
    alice = CustomerFactory.create(name="Alice Bernard")
    IdentityFactory.create(customer=alice, value="alice@exemple.fr")

    listed = web_client.get(LIST)
    by_email = web_client.get(LIST, {"q": "alice@exemple"})

    assert names(listed) == ["Alice Bernard", "Zoé Petit"]
    assert names(by_email) == ["Alice Bernard"]


def test_list_pages_by_keyset(web_client: Client) -> None:
    for index in range(30):
        CustomerFactory.create(name=f"Client {index:02d}")

    first = web_client.get(LIST)
    next_url = re.search(r'href="([^"]+)" rel="next"', first.content.decode())
    assert next_url is not None
    second = web_client.get(next_url.group(1).replace("&amp;", "&"))

    assert names(first) == [f"Client {index:02d}" for index in range(25)]
    assert names(second) == [f"Client {index:02d}" for index in range(25, 30)]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Aucun client pour l’instant."),
        ({"q": "personne"}, "Aucun client ne correspond"),
    ],
)
def test_list_empty_states(
    web_client: Client, params: dict[str, str], message: str
) -> None:
    response = web_client.get(LIST, params)

    assert 'data-testid="empty-state"' in response.content.decode()
    assert message in response.content.decode()


@pytest.fixture
def rich_customer(agent: User, team: Team, other_team: Team) -> Customer:
    customer = CustomerFactory.create(
        name="Jeanne Martin", customer_since=dt.date(2016, 5, 2)
    )
    IdentityFactory.create(customer=customer, value="jeanne@exemple.fr")
    address_add(
        actor=agent,
        customer=customer,
        line1="12 rue des Lilas",
        postal_code="69003",
        city="Lyon",
    )
    consent_record(
        actor=agent,
        customer=customer,
        purpose=ConsentPurpose.MARKETING_EMAIL,
        is_granted=True,
        source="formulaire web",
    )
    consent_record(
        actor=agent,
        customer=customer,
        purpose=ConsentPurpose.MARKETING_EMAIL,
        is_granted=False,
        source="lien de désinscription",
    )
    order = OrderFactory.create(
        customer=customer, external_ref="CMD-777", total=Decimal("1234.50")
    )
    OrderLineFactory.create(
        order=order,
        product=ProductFactory.create(name="Bouilloire"),
        quantity=2,
        unit_price=Decimal("617.25"),
    )
    shipment = ShipmentFactory.create(order=order, tracking_number="6A123")
    TrackingEventFactory.create(
        shipment=shipment, status="in_transit", location="Plateforme de Lyon"
    )
    CaseFactory.create(
        customer=customer,
        team=team,
        subject="Bouilloire en panne",
        status=CaseStatus.OPEN,
    )
    CaseFactory.create(
        customer=customer, team=other_team, subject="Cas d'une autre équipe"
    )
    InteractionFactory.create(
        customer=customer, body_text="Bonjour, ma bouilloire fuit"
    )
    return customer


def test_customer_page_shows_everything(
    web_client: Client, rich_customer: Customer
) -> None:
    response = web_client.get(reverse("customers:detail", args=[rich_customer.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "jeanne@exemple.fr" in content
    assert "12 rue des Lilas" in content
    assert "CMD-777" in content
    assert "1\u00a0234,50\u00a0€" in content
    assert "Bouilloire" in content
    assert "6A123" in content
    assert "Plateforme de Lyon" in content
    assert "Bouilloire en panne" in content
    assert "Cas d&#x27;une autre équipe" not in content
    assert "ma bouilloire fuit" in content
    assert "lien de désinscription" in content
    assert "formulaire web" in content
    assert "Client depuis" in content


@pytest.mark.parametrize(
    ("language", "line"),
    [("fr", "E-mail : jeanne@exemple.fr"), ("en", "Email: jeanne@exemple.fr")],
)
def test_identities_read_with_each_languages_punctuation(
    web_client: Client, rich_customer: Customer, language: str, line: str
) -> None:
    response = web_client.get(
        reverse("customers:detail", args=[rich_customer.pk]),
        headers={"accept-language": language},
    )

    assert line in response.content.decode()


def test_unknown_customer_is_404(web_client: Client) -> None:
    response = web_client.get(reverse("customers:detail", args=[999999]))

    assert response.status_code == 404


def add_history(customer: Customer, count: int) -> None:
    for index in range(count):
        order = OrderFactory.create(customer=customer)
        OrderLineFactory.create(order=order)
        TrackingEventFactory.create(shipment=ShipmentFactory.create(order=order))
        CaseFactory.create(customer=customer, team=None)
        InteractionFactory.create(
            customer=customer,
            occurred_at=timezone.now() - dt.timedelta(minutes=index),
        )


def test_customer_page_query_count_does_not_grow(
    web_client: Client, agent: User
) -> None:
    customer = CustomerFactory.create()
    add_history(customer, 3)
    url = reverse("customers:detail", args=[customer.pk])
    with CaptureQueriesContext(connection) as five:
        web_client.get(url)
    add_history(customer, 25)

    with CaptureQueriesContext(connection) as many:
        response = web_client.get(url)

    assert response.status_code == 200
    # With the surveys, gestures and promises panels, the unread-notifications
    # badge and the identities list (one query each).
    assert len(five) == len(many) == 26


def test_customer_list_query_count_does_not_grow(web_client: Client) -> None:
    for _index in range(3):
        CustomerFactory.create()
    with CaptureQueriesContext(connection) as few:
        web_client.get(LIST)
    for _index in range(30):
        CustomerFactory.create()

    with CaptureQueriesContext(connection) as many:
        web_client.get(LIST)

    assert len(few) == len(many) == 6  # with the unread-notifications badge
