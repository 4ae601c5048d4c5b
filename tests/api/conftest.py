"""Fixtures of the API tests: clients per role and a little data."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.customers.models import Customer
from tests.factories import CaseFactory, CustomerFactory

ClientFor = Callable[[User], Client]
ROLES = ["agent", "other_agent", "supervisor", "admin_user"]


@pytest.fixture
def client_for(token_for: Callable[[User], str]) -> ClientFor:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Martin")


@pytest.fixture
def team_case(agent: User, customer: Customer) -> Case:
    """A case of the agent's team, unassigned."""
    return CaseFactory.create(customer=customer, team=agent.team, subject="Colis abîmé")
