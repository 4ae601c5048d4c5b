"""Fixtures of the cases tests: a controllable clock, business calendars, SLA
policies and the taxonomies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from amiable.accounts.models import Role, Team, User
from amiable.cases.models import CaseCategory, RootCause, SlaPolicy
from amiable.customers.models import Customer
from amiable.sla.definitions import parse_exceptions, parse_opening_hours
from amiable.sla.models import BusinessCalendar
from amiable.sla.services import calendar_save
from tests.factories import CustomerFactory, UserFactory
from tests.factories.cases import (
    CaseCategoryFactory,
    RootCauseFactory,
    SlaPolicyFactory,
)

PARIS = ZoneInfo("Europe/Paris")


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


@dataclass
class Clock:
    """What ``timezone.now()`` (so ``core.clock.now()``) answers in a test."""

    at: dt.datetime

    def set(self, moment: dt.datetime) -> None:
        self.at = moment.astimezone(dt.UTC)

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    current = Clock(paris(2026, 4, 2, 16).astimezone(dt.UTC))
    monkeypatch.setattr("django.utils.timezone.now", lambda: current.at)
    return current


CalendarMaker = Callable[..., BusinessCalendar]


@pytest.fixture
def make_calendar(db: None) -> CalendarMaker:
    def make(
        *,
        team: Team | None,
        name: str = "Paris",
        hours: str = "mon-fri 09:00-18:00",
        region: str = "",
        exceptions: str = "",
        time_zone: str = "Europe/Paris",
    ) -> BusinessCalendar:
        return calendar_save(
            actor=None,
            name=name,
            time_zone=time_zone,
            holiday_region=region,
            opening_hours=parse_opening_hours(hours),
            exceptions=parse_exceptions(exceptions),
            team=team,
        )

    return make


@pytest.fixture
def policy(db: None) -> SlaPolicy:
    """Every case: first response within 8 business hours, resolution within 5
    business days (45 h), next response within 4 h; at risk from 75 %."""
    return SlaPolicyFactory.create(
        name="Standard",
        first_response_minutes=8 * 60,
        next_response_minutes=4 * 60,
        resolution_minutes=45 * 60,
    )


@pytest.fixture
def customer(db: None) -> Customer:
    return CustomerFactory.create(name="Élodie Martin")


@pytest.fixture
def delivery(db: None) -> CaseCategory:
    return CaseCategoryFactory.create(
        code="delivery", name_fr="Livraison", name_en="Delivery"
    )


@pytest.fixture
def carrier_delay(db: None) -> RootCause:
    family = RootCauseFactory.create(
        code="logistics", name_fr="Logistique", name_en="Logistics"
    )
    return RootCauseFactory.create(
        code="carrier-delay",
        name_fr="Retard du transporteur",
        name_en="Carrier delay",
        parent=family,
    )


@pytest.fixture
def second_quality_manager(db: None) -> User:
    return UserFactory.create(username="quality2", role=Role.QUALITY_MANAGER, team=None)
