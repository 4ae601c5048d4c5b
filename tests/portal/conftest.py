"""Fixtures of the portal tests: two customers, each with an order and a case."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from amiable.cases.models import Case
from amiable.commerce.models import Order
from amiable.customers.models import Customer
from amiable.portal.sessions import portal_session_values
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


def portal_session_key(customer: Customer) -> str:
    """A stored session of the whole customer area, as an e-mailed code opens it
    (a link's session sees its one page only): the value of the session cookie."""
    session = SessionStore()
    session.update(portal_session_values(customer))
    session.create()
    return str(session.session_key)


def signed_in(customer: Customer) -> Client:
    """A client signed in to the whole customer area (``portal_session_key``)."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = portal_session_key(customer)
    return client
