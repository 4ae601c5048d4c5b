"""Fixtures of the portal tests: two customers, each with an order and a case."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from amiable.cases.models import Case
from amiable.commerce.models import Order
from amiable.customers.models import Customer
from amiable.portal.signing import LinkPage, link_token_make
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    OrderFactory,
    OrderLineFactory,
)


@dataclass(frozen=True)
class Someone:
    customer: Customer
    order: Order
    case: Case


def someone(name: str, email: str, language: str, ref: str) -> Someone:
    customer = CustomerFactory.create(name=name, preferred_language=language)
    IdentityFactory.create(customer=customer, value=email, normalized=email.lower())
    order = OrderFactory.create(customer=customer, external_ref=ref)
    OrderLineFactory.create(order=order)
    case = CaseFactory.create(customer=customer, subject=f"Question sur {ref}")
    case.orders.add(order)
    return Someone(customer=customer, order=order, case=case)


@pytest.fixture
def alice(db: None) -> Someone:
    return someone("Alice Dupré", "alice@exemple.fr", "fr", "CMD-A-1")


@pytest.fixture
def bob(db: None) -> Someone:
    return someone("Bob Taylor", "bob@example.com", "en", "CMD-B-1")


def link(
    customer: Customer, page: LinkPage = LinkPage.HOME, object_id: int | None = None
) -> str:
    token = link_token_make(customer_id=customer.pk, page=page, object_id=object_id)
    return f"/portal/l/{token}/"


def signed_in(customer: Customer) -> Client:
    client = Client()
    response = client.get(link(customer))
    assert response.status_code == 302
    return client
