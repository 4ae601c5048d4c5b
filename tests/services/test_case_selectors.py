"""Case selectors: visibility per role, filters, counts, and the customer 360."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseStatus
from amiable.cases.selectors import (
    CaseFilters,
    ChannelContact,
    OrderTotal,
    case_counts_by_status,
    case_get,
    case_get_by_reference,
    case_list,
    customer_360,
)
from amiable.conversations.models import Channel
from amiable.conversations.selectors import interaction_get, interaction_list
from amiable.core.errors import NotFoundError
from amiable.customers.models import Customer
from amiable.customers.services import consent_record, personal_fact_add
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    InteractionFactory,
    OrderFactory,
)

BASE = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def cases(
    team: Team, other_team: Team, agent: User, other_agent: User
) -> dict[str, Case]:
    return {
        "own_team": CaseFactory.create(team=team),
        "unteamed": CaseFactory.create(team=None),
        "other_team": CaseFactory.create(team=other_team),
        "other_team_assigned_to_agent": CaseFactory.create(
            team=other_team, assignee=agent
        ),
        "other_team_assigned_elsewhere": CaseFactory.create(
            team=other_team, assignee=other_agent
        ),
    }


def _visible(actor: User, cases: dict[str, Case]) -> set[str]:
    ids = set(
        case_list(actor=actor, filters=CaseFilters()).values_list("pk", flat=True)
    )
    return {name for name, case in cases.items() if case.pk in ids}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role_fixture", "expected"),
    [
        ("agent", {"own_team", "unteamed", "other_team_assigned_to_agent"}),
        ("supervisor", {"own_team", "unteamed"}),
        (
            "other_agent",
            {
                "unteamed",
                "other_team",
                "other_team_assigned_to_agent",
                "other_team_assigned_elsewhere",
            },
        ),
        (
            "quality_manager",
            {
                "own_team",
                "unteamed",
                "other_team",
                "other_team_assigned_to_agent",
                "other_team_assigned_elsewhere",
            },
        ),
        (
            "admin_user",
            {
                "own_team",
                "unteamed",
                "other_team",
                "other_team_assigned_to_agent",
                "other_team_assigned_elsewhere",
            },
        ),
    ],
)
def test_case_visibility_per_role(
    request: pytest.FixtureRequest,
    cases: dict[str, Case],
    role_fixture: str,
    expected: set[str],
) -> None:
    actor: User = request.getfixturevalue(role_fixture)

    assert _visible(actor, cases) == expected


@pytest.mark.django_db
def test_a_case_of_another_team_is_not_found_for_an_agent(
    agent: User, quality_manager: User, cases: dict[str, Case]
) -> None:
    hidden = cases["other_team"]

    with pytest.raises(NotFoundError) as caught:
        case_get(actor=agent, case_id=hidden.pk)
    with pytest.raises(NotFoundError):
        case_get_by_reference(actor=agent, reference=hidden.reference)

    assert caught.value.status == 404
    assert case_get(actor=quality_manager, case_id=hidden.pk) == hidden
    assert (
        case_get_by_reference(actor=quality_manager, reference=hidden.reference.lower())
        == hidden
    )


@pytest.mark.django_db
def test_interactions_follow_the_visibility_of_their_case(
    agent: User, cases: dict[str, Case]
) -> None:
    hidden = InteractionFactory.create(
        customer=cases["other_team"].customer, case=cases["other_team"]
    )
    shown = InteractionFactory.create(
        customer=cases["own_team"].customer, case=cases["own_team"]
    )
    loose = InteractionFactory.create(case=None)

    assert set(interaction_list(actor=agent).values_list("pk", flat=True)) == {
        shown.pk,
        loose.pk,
    }
    with pytest.raises(NotFoundError):
        interaction_get(actor=agent, interaction_id=hidden.pk)


@pytest.mark.django_db
def test_case_filters(agent: User, other_agent: User, team: Team) -> None:
    customer = CustomerFactory.create()
    mine = CaseFactory.create(
        team=team, assignee=agent, kind="complaint", priority="high", status="open"
    )
    unassigned = CaseFactory.create(team=team, status="new")
    theirs = CaseFactory.create(
        team=team, assignee=other_agent, status="resolved", customer=customer
    )

    def ids(**filters: object) -> set[int]:
        queryset = case_list(actor=agent, filters=CaseFilters(**filters))  # type: ignore[arg-type]
        return set(queryset.values_list("pk", flat=True))

    assert ids(assignee="me") == {mine.pk}
    assert ids(assignee="none") == {unassigned.pk}
    assert ids(assignee=str(other_agent.pk)) == {theirs.pk}
    assert ids(statuses=("new", "resolved")) == {unassigned.pk, theirs.pk}
    assert ids(open_only=True) == {mine.pk, unassigned.pk}
    assert ids(kinds=("complaint",)) == {mine.pk}
    assert ids(priorities=("high",)) == {mine.pk}
    assert ids(customer_id=customer.pk) == {theirs.pk}
    assert ids(team_id=team.pk) == {mine.pk, unassigned.pk, theirs.pk}


@pytest.mark.django_db
def test_counts_by_status_ignore_the_status_filter_and_respect_visibility(
    agent: User, team: Team, other_team: Team
) -> None:
    CaseFactory.create_batch(2, team=team, status=CaseStatus.NEW)
    CaseFactory.create(team=team, status=CaseStatus.RESOLVED, kind="dispute")
    CaseFactory.create(team=None, status=CaseStatus.OPEN)
    CaseFactory.create(team=other_team, status=CaseStatus.OPEN)

    counts = case_counts_by_status(
        actor=agent, filters=CaseFilters(statuses=("new",), open_only=True)
    )
    disputes = case_counts_by_status(
        actor=agent, filters=CaseFilters(kinds=("dispute",))
    )

    assert counts == {"new": 2, "open": 1, "resolved": 1}
    assert disputes == {"resolved": 1}


def _populate(customer: Customer, agent: User, orders: int) -> None:
    for index in range(orders):
        OrderFactory.create(customer=customer, total=Decimal("19.99"), currency="EUR")
        OrderFactory.create(customer=customer, total=Decimal("5.01"), currency="CHF")
        CaseFactory.create(customer=customer, status=CaseStatus.OPEN)
        CaseFactory.create(customer=customer, status=CaseStatus.CLOSED)
        InteractionFactory.create(
            customer=customer,
            channel=Channel.EMAIL,
            occurred_at=BASE + dt.timedelta(days=index),
        )
        personal_fact_add(
            actor=agent,
            customer=customer,
            category="preference",
            value=f"préférence {index}",
            purpose="conseil",
            source="chat",
        )


@pytest.mark.django_db
def test_customer_360_numbers(agent: User) -> None:
    customer = CustomerFactory.create(customer_since=dt.date(2021, 3, 14))
    OrderFactory.create_batch(3, customer=customer, total=Decimal("19.99"))
    OrderFactory.create(customer=customer, total=Decimal("0.01"), currency="USD")
    OrderFactory.create(total=Decimal("1000"))  # someone else's
    CaseFactory.create(customer=customer, status=CaseStatus.NEW)
    CaseFactory.create(customer=customer, status=CaseStatus.WAITING_CUSTOMER)
    CaseFactory.create(customer=customer, status=CaseStatus.RESOLVED)
    InteractionFactory.create(customer=customer, channel="email", occurred_at=BASE)
    InteractionFactory.create(
        customer=customer, channel="email", occurred_at=BASE + dt.timedelta(days=3)
    )
    InteractionFactory.create(
        customer=customer, channel="phone", occurred_at=BASE + dt.timedelta(days=1)
    )
    InteractionFactory.create(
        customer=customer,
        channel="note",
        direction="internal",
        occurred_at=BASE + dt.timedelta(days=9),
    )
    consent_record(
        actor=agent, customer=customer, purpose="surveys", is_granted=True, source="web"
    )
    consent_record(
        actor=agent,
        customer=customer,
        purpose="surveys",
        is_granted=False,
        source="mail",
    )

    summary = customer_360(actor=agent, customer=customer)

    assert summary.orders_count == 4
    assert sorted(summary.order_totals, key=lambda total: total.currency) == [
        OrderTotal("EUR", Decimal("59.97")),
        OrderTotal("USD", Decimal("0.01")),
    ]
    assert (summary.open_cases_count, summary.cases_count) == (2, 3)
    assert summary.last_contacts == [
        ChannelContact("email", BASE + dt.timedelta(days=3)),
        ChannelContact("phone", BASE + dt.timedelta(days=1)),
    ]
    assert [(c.purpose, c.is_granted) for c in summary.consents] == [("surveys", False)]
    assert summary.tenure_days > 365


@pytest.mark.django_db
def test_customer_360_query_count_does_not_grow_with_history(agent: User) -> None:
    small = CustomerFactory.create()
    large = CustomerFactory.create()
    _populate(small, agent, orders=1)
    _populate(large, agent, orders=6)

    with CaptureQueriesContext(connection) as small_queries:
        customer_360(actor=agent, customer=small)
    with CaptureQueriesContext(connection) as large_queries:
        summary = customer_360(actor=agent, customer=large)

    assert len(large_queries) == len(small_queries)
    assert len(large_queries) <= 6
    assert (summary.orders_count, len(summary.facts)) == (12, 6)
