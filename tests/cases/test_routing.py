"""Routing new cases by rules and skills, and assigning them among present agents."""

from __future__ import annotations

import pytest

from amiable.accounts.models import Role, Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import AssignmentMode, Case, CaseStatus
from amiable.cases.services import case_open, team_routing_save
from amiable.customers.models import Customer, CustomerTier
from tests.factories import CaseFactory, CustomerFactory, TeamFactory, UserFactory
from tests.factories.cases import RoutingRuleFactory, TeamRoutingFactory


def _open(customer: Customer, **extra: object) -> Case:
    return case_open(
        actor=None,
        customer=customer,
        subject="Question",
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def complaints() -> Team:
    return TeamFactory.create(name="Réclamations")


@pytest.fixture
def agents(complaints: Team) -> list[User]:
    return [
        UserFactory.create(username=f"agent-{n}", role=Role.AGENT, team=complaints)
        for n in range(3)
    ]


@pytest.mark.django_db
def test_a_rule_sends_a_case_to_its_team(customer: Customer, complaints: Team) -> None:
    RoutingRuleFactory.create(name="Réclamations", kind="complaint", team=complaints)

    routed = _open(customer, kind="complaint")
    other = _open(customer, kind="question")

    assert (routed.team, routed.assignee, routed.status) == (
        complaints,
        None,
        CaseStatus.NEW,
    )
    assert other.team is None
    assert (
        AuditEvent.objects.get(action="case.open", object_id=str(routed.pk)).after[
            "routing_rule"
        ]
        == "Réclamations"
    )


@pytest.mark.django_db
def test_rules_are_tried_in_order(customer: Customer, complaints: Team) -> None:
    vip = TeamFactory.create(name="Clients privilégiés")
    RoutingRuleFactory.create(position=1, customer_tier=CustomerTier.GOLD, team=vip)
    RoutingRuleFactory.create(position=2, kind="complaint", team=complaints)
    gold = CustomerFactory.create(tier=CustomerTier.GOLD)

    assert _open(gold, kind="complaint").team == vip
    assert _open(customer, kind="complaint").team == complaints


@pytest.mark.django_db
def test_by_skills_the_team_speaking_the_language_with_the_category_wins(
    complaints: Team,
) -> None:
    english = TeamFactory.create(name="English desk")
    team_routing_save(
        actor=None, team=complaints, languages=["fr"], categories=["delivery"]
    )
    team_routing_save(actor=None, team=english, languages=["en"], categories=[])
    RoutingRuleFactory.create(name="Par compétences", team=None)
    french = CustomerFactory.create(preferred_language="fr")
    british = CustomerFactory.create(preferred_language="en")

    assert _open(french, category="delivery").team == complaints
    assert _open(british, category="refund").team == english
    # Both skills count: the category (2) beats the language (1).
    assert _open(british, category="delivery").team == complaints


@pytest.mark.django_db
def test_round_robin_skips_absent_and_inactive_agents(
    customer: Customer, complaints: Team, agents: list[User]
) -> None:
    TeamRoutingFactory.create(
        team=complaints, assignment_mode=AssignmentMode.ROUND_ROBIN
    )
    User.objects.filter(pk=agents[1].pk).update(is_available=False)
    UserFactory.create(username="gone", team=complaints, is_active=False)
    UserFactory.create(username="boss", team=complaints, role=Role.SUPERVISOR)

    served = [_open(customer, team=complaints).assignee for _n in range(4)]

    assert served == [agents[0], agents[2], agents[0], agents[2]]
    assert Case.objects.filter(assignee=agents[0], status=CaseStatus.OPEN).count() == 2


@pytest.mark.django_db
def test_least_loaded_picks_the_agent_with_fewest_open_cases(
    customer: Customer, complaints: Team, agents: list[User]
) -> None:
    TeamRoutingFactory.create(
        team=complaints, assignment_mode=AssignmentMode.LEAST_LOADED
    )
    for _n in range(3):
        CaseFactory.create(assignee=agents[0], team=complaints)
    CaseFactory.create(assignee=agents[1], team=complaints)
    CaseFactory.create(assignee=agents[2], team=complaints, status=CaseStatus.CLOSED)

    first = _open(customer, team=complaints).assignee
    second = _open(customer, team=complaints).assignee

    assert (first, second) == (agents[2], agents[1])


@pytest.mark.django_db
def test_manual_teams_leave_cases_unassigned(
    customer: Customer, complaints: Team, agents: list[User]
) -> None:
    TeamRoutingFactory.create(team=complaints, assignment_mode=AssignmentMode.MANUAL)

    case = _open(customer, team=complaints)

    assert (case.assignee, case.status) == (None, CaseStatus.NEW)


@pytest.mark.django_db
def test_nobody_available_leaves_the_case_to_the_team(
    customer: Customer, complaints: Team, agents: list[User]
) -> None:
    TeamRoutingFactory.create(team=complaints)
    User.objects.filter(team=complaints).update(is_available=False)

    case = _open(customer, team=complaints)

    assert (case.team, case.assignee) == (complaints, None)


@pytest.mark.django_db
def test_a_named_assignee_is_never_rerouted(
    customer: Customer, complaints: Team, agent: User
) -> None:
    RoutingRuleFactory.create(team=complaints)

    case = _open(customer, assignee=agent)

    assert (case.team, case.assignee) == (agent.team, agent)


@pytest.mark.django_db
def test_team_skills_are_normalised(complaints: Team) -> None:
    routing = team_routing_save(
        actor=None,
        team=complaints,
        languages=[" FR", "en", "fr", ""],
        categories=["Delivery", "refund "],
        assignment_mode=AssignmentMode.LEAST_LOADED,
    )

    assert (routing.languages, routing.categories) == (
        ["en", "fr"],
        ["delivery", "refund"],
    )
