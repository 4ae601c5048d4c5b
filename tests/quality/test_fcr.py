"""First-contact resolution per domain rules §6.2 on hand-counted cases: one inbound
contact, no repeat within W days (same case, category or order), not refused; the
survey method from the confirmations; per team; the API and the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseKind, CaseStatus
from amiable.conversations.models import Channel, Direction
from amiable.customers.models import Customer
from amiable.quality.models import ConfirmationStatus, FirstContact
from amiable.quality.selectors import FcrDimension, FcrFilters, fcr_report
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    InteractionFactory,
    OrderFactory,
    TeamFactory,
)
from tests.factories.quality import ConfirmationFactory

NOW = timezone.now()


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def resolved_case(
    agent: User,
    *,
    inbound: int = 1,
    resolved_days_ago: float = 10,
    customer: Customer | None = None,
    category: str = "Livraison",
    kind: str = CaseKind.COMPLAINT,
) -> Case:
    case = CaseFactory.create(
        customer=customer or CustomerFactory.create(),
        team=agent.team,
        kind=kind,
        category=category,
        status=CaseStatus.RESOLVED,
        opened_at=days_ago(resolved_days_ago + 2),
        resolved_at=days_ago(resolved_days_ago),
    )
    for index in range(inbound):
        InteractionFactory.create(
            customer=case.customer,
            case=case,
            direction=Direction.INBOUND,
            occurred_at=days_ago(resolved_days_ago + 2 - index * 0.1),
        )
    return case


def contact(case: Case, when: dt.datetime) -> None:
    InteractionFactory.create(
        customer=case.customer, case=case, direction=Direction.INBOUND, occurred_at=when
    )


@pytest.fixture
def population(agent: User) -> dict[str, Case]:
    a = resolved_case(agent)
    b = resolved_case(agent, inbound=2)
    c = resolved_case(agent)
    again = CaseFactory.create(
        customer=c.customer, team=agent.team, category="Livraison"
    )
    contact(again, days_ago(7))  # three days after c was resolved: a repeat
    d = resolved_case(agent, resolved_days_ago=12)
    ConfirmationFactory.create(
        case=d,
        is_solved=False,
        answered_at=days_ago(11),
        status=ConfirmationStatus.ANSWERED,
    )
    e = resolved_case(agent)
    later = CaseFactory.create(
        customer=e.customer, team=agent.team, category="Livraison"
    )
    contact(later, days_ago(1))  # nine days later: outside the window
    f = resolved_case(agent, resolved_days_ago=2)  # too recent to count
    g = resolved_case(agent, inbound=0)  # opened by us, no customer contact
    h = resolved_case(agent, kind=CaseKind.QUESTION, category="")
    InteractionFactory.create(
        customer=h.customer,
        case=h,
        channel=Channel.NOTE,
        direction=Direction.INTERNAL,
        occurred_at=days_ago(10.5),
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "g": g, "h": h}


def test_operational_fcr_counts_one_contact_without_repeat(
    population: dict[str, Case], supervisor: User
) -> None:
    [row] = fcr_report(actor=supervisor, filters=FcrFilters()).rows

    # Counted: a b c d e g h (f is too recent); first contact: a, e, h.
    assert (row.resolved, row.first_contact, row.waiting) == (7, 3, 1)
    assert row.operational_rate == pytest.approx(3 / 7)


def test_a_repeat_about_the_same_order_is_not_fcr(
    agent: User, supervisor: User
) -> None:
    case = resolved_case(agent, category="")
    order = OrderFactory.create(customer=case.customer)
    case.orders.add(order)
    other = CaseFactory.create(customer=case.customer, team=agent.team, category="")
    other.orders.add(order)
    contact(other, days_ago(8))

    [row] = fcr_report(actor=supervisor, filters=FcrFilters()).rows

    assert (row.resolved, row.first_contact) == (1, 0)


def test_survey_fcr_and_confirmed_resolution(agent: User, supervisor: User) -> None:
    answers = [
        (True, FirstContact.YES),
        (True, FirstContact.NO),
        (True, FirstContact.UNKNOWN),
        (False, ""),
        (True, ""),
    ]
    for is_solved, first_contact in answers:
        ConfirmationFactory.create(
            case=resolved_case(agent, resolved_days_ago=3),
            is_solved=is_solved,
            first_contact=first_contact,
            answered_at=days_ago(2),
            status=ConfirmationStatus.ANSWERED,
        )
    ConfirmationFactory.create(
        case=resolved_case(agent, resolved_days_ago=3)
    )  # unanswered

    [row] = fcr_report(actor=supervisor, filters=FcrFilters()).rows

    assert (row.survey_yes, row.survey_answers) == (1, 3)
    assert (row.confirmed, row.confirmations) == (4, 5)


def test_per_team_and_scoped_to_what_the_actor_sees(
    population: dict[str, Case], supervisor: User, quality_manager: User
) -> None:
    elsewhere = TeamFactory.create(name="Ailleurs")
    outsider = resolved_case(supervisor)
    Case.objects.filter(pk=outsider.pk).update(team=elsewhere)

    mine = fcr_report(actor=supervisor, filters=FcrFilters(dimension=FcrDimension.TEAM))
    everyone = fcr_report(
        actor=quality_manager, filters=FcrFilters(dimension=FcrDimension.TEAM)
    )

    assert [(row.label, row.resolved) for row in mine.rows] == [("Service client", 7)]
    assert sorted(
        (row.label, row.resolved, row.first_contact) for row in everyone.rows
    ) == [
        ("Ailleurs", 1, 1),
        ("Service client", 7, 3),
    ]


def test_a_date_range_in_local_days(
    population: dict[str, Case], supervisor: User
) -> None:
    day = timezone.localdate(days_ago(12))

    [row] = fcr_report(
        actor=supervisor, filters=FcrFilters(date_from=day, date_to=day)
    ).rows

    assert (row.resolved, row.first_contact) == (1, 0)  # d only: refused


def test_the_fcr_api_and_page(
    population: dict[str, Case], client_for: Any, supervisor: User, agent: User
) -> None:
    body = client_for(supervisor).get("/api/v1/quality/fcr").json()
    web = Client()
    web.force_login(supervisor)
    page = web.get("/quality/fcr/", {"dimension": "kind"})

    assert body["repeat_window_days"] == 7
    assert body["rows"][0]["resolved"] == 7
    assert body["rows"][0]["operational_rate"] == pytest.approx(3 / 7)
    assert client_for(agent).get("/api/v1/quality/fcr").status_code == 403
    html = page.content.decode()
    assert page.status_code == 200
    assert '<tr data-key="complaint">' in html
    assert "33 %" in html


def test_the_fcr_page_without_resolved_cases_shows_its_empty_state(
    supervisor: User,
) -> None:
    web = Client()
    web.force_login(supervisor)

    page = web.get("/quality/fcr/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="empty-state"' in html
    assert 'id="fcr-table"' not in html
