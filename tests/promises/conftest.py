"""Fixtures of the promise tests: a French customer with an email address, an
order placed on a known date, a case of theirs handled by the agent."""

from __future__ import annotations

import datetime as dt

import pytest

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.customers.models import Customer
from tests.factories import CaseFactory, CustomerFactory, IdentityFactory


@pytest.fixture
def customer(db: None) -> Customer:
    person = CustomerFactory.create(name="Élodie Moreau", preferred_language="fr")
    IdentityFactory.create(
        customer=person, value="elodie@exemple.fr", normalized="elodie@exemple.fr"
    )
    return person


@pytest.fixture
def english_customer(db: None) -> Customer:
    person = CustomerFactory.create(name="Oliver Smith", preferred_language="en")
    IdentityFactory.create(
        customer=person, value="oliver@example.co.uk", normalized="oliver@example.co.uk"
    )
    return person


@pytest.fixture
def case(customer: Customer, agent: User) -> Case:
    return CaseFactory.create(
        customer=customer,
        team=agent.team,
        assignee=agent,
        subject="Colis en retard",
        category="delivery",
    )


PARIS_NOON = dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)  # 12:00 in Paris
