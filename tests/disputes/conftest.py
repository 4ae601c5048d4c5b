"""Fixtures of the dispute tests: a dispute case of the agent's team, a mediator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseKind
from amiable.disputes.models import Dispute, Mediator
from amiable.disputes.services import dispute_open
from amiable.events.models import DomainEvent
from tests.factories import CaseFactory, CustomerFactory, IdentityFactory
from tests.factories.disputes import MediatorFactory

PARIS = ZoneInfo("Europe/Paris")
OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


@pytest.fixture
def dispute_case(agent: User) -> Case:
    customer = CustomerFactory.create(name="Hélène Dubois", preferred_language="fr")
    IdentityFactory.create(
        customer=customer, value="helene@exemple.fr", normalized="helene@exemple.fr"
    )
    return CaseFactory.create(
        customer=customer,
        team=agent.team,
        kind=CaseKind.DISPUTE,
        subject="Canapé livré abîmé, remboursement refusé",
        opened_at=paris(2026, 1, 5, 9),
    )


@pytest.fixture
def dispute(dispute_case: Case) -> Dispute:
    return dispute_open(
        actor=None, case=dispute_case, written_complaint_at=paris(2026, 1, 5, 9)
    )


@pytest.fixture
def mediator(db: None) -> Mediator:
    return MediatorFactory.create(
        name="Médiateur du e-commerce (FEVAD)",
        website="https://www.mediateurfevad.fr",
        postal_address="60 rue La Boétie\n75008 Paris",
        fee_amount=Decimal("150.00"),
    )


def events(name: str) -> list[dict[str, Any]]:
    return [
        row.payload
        for row in DomainEvent.objects.filter(name=name).order_by("occurred_at", "id")
    ]


@pytest.fixture
def other_client(other_agent: User) -> Client:
    client = Client()
    client.force_login(other_agent)
    return client


@pytest.fixture
def client_for(token_for: Callable[[User], str]) -> Callable[[User], Client]:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make
