"""Fixtures of the gestures tests: a voucher type with its reasons and an agent's
limit of 30 € per gesture, a supervisor's of 150 €, a quality manager's of 500 €."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from amiable.accounts.models import Role, Team, User
from amiable.cases.models import Case
from amiable.customers.models import Customer
from amiable.gestures.models import GestureReason, GestureType
from tests.factories import CaseFactory, CustomerFactory
from tests.factories.gestures import (
    AuthorityLimitFactory,
    GestureReasonFactory,
    GestureTypeFactory,
)


@pytest.fixture
def reason(db: None) -> GestureReason:
    return GestureReasonFactory.create(
        code="late-delivery", name_fr="Livraison en retard", name_en="Late delivery"
    )


@pytest.fixture
def voucher(reason: GestureReason) -> GestureType:
    gesture_type = GestureTypeFactory.create(
        code="voucher", name_fr="Bon d’achat", name_en="Voucher", reasons=[reason]
    )
    for role, limit in [
        (Role.AGENT, "30.00"),
        (Role.SUPERVISOR, "150.00"),
        (Role.QUALITY_MANAGER, "500.00"),
    ]:
        AuthorityLimitFactory.create(
            role=role, gesture_type=gesture_type, max_per_gesture=Decimal(limit)
        )
    return gesture_type


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Hélène Dubois", tier="gold")


@pytest.fixture
def case(team: Team, customer: Customer) -> Case:
    return CaseFactory.create(
        customer=customer,
        team=team,
        subject="Colis arrivé écrasé",
        category="livraison",
    )


@pytest.fixture
def supervisor_of_other_team(other_team: Team) -> User:
    from tests.factories import UserFactory

    return UserFactory.create(
        username="supervisor2", role=Role.SUPERVISOR, team=other_team
    )


@pytest.fixture
def supervisor_client(supervisor: User) -> Client:
    client = Client()
    client.force_login(supervisor)
    return client
