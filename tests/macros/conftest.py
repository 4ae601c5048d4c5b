"""Fixtures of the macros tests: a case with an order and a promise, macros."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseStatus
from amiable.macros.models import Macro
from tests.factories import CaseFactory, CustomerFactory, OrderFactory
from tests.factories.macros import MacroFactory
from tests.factories.promises import PromiseFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def case(team: Team) -> Case:
    customer = CustomerFactory.create(name="Jeanne Martin", preferred_language="fr")
    case = CaseFactory.create(
        customer=customer, team=team, subject="Colis abîmé", status=CaseStatus.OPEN
    )
    order = OrderFactory.create(customer=customer, external_ref="CMD-2026-1001")
    case.orders.add(order)
    PromiseFactory.create(
        customer=customer,
        case=case,
        made_at=dt.datetime(2026, 6, 1, 9, 0, tzinfo=PARIS),
        # 23:30 in Paris on the 11th is the 11th, whatever UTC says.
        due_at=dt.datetime(2026, 6, 11, 23, 30, tzinfo=PARIS),
    )
    return case


@pytest.fixture
def team_macro(team: Team) -> Macro:
    return MacroFactory.create(
        name="Excuses colis",
        team=team,
        body_fr=(
            "Bonjour {{ first_name }},\nVotre commande {{ order_number }} "
            "({{ case_reference }}) sera remboursée avant le {{ promise_due_date }}."
        ),
        body_en="Hello {{ first_name }}, order {{ order_number }} is refunded.",
    )


@pytest.fixture
def personal_macro(agent: User) -> Macro:
    return MacroFactory.create(name="Ma signature", team=None, owner=agent)
