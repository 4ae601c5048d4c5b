"""The periodic SLA scan: at risk, breached, notified once, escalated once."""

from __future__ import annotations

import pytest

from amiable.accounts.models import Role, Team, User
from amiable.cases.models import (
    Case,
    CaseEscalation,
    CaseStatus,
    EscalationSource,
    SlaClock,
    SlaMetric,
    SlaPolicy,
    SlaState,
)
from amiable.cases.services import case_change_status, case_open, sla_scan
from amiable.cases.services.sla_scan import SlaScanResult
from amiable.cases.tasks import sla_scan_task
from amiable.conversations.models import Channel, Interaction
from amiable.core.schedules import periodic_jobs
from amiable.customers.models import Customer
from amiable.events.models import DomainEvent
from amiable.notifications.models import Notification
from tests.cases.conftest import Clock, paris
from tests.factories import UserFactory


@pytest.fixture
def english_agent(team: Team) -> User:
    return UserFactory.create(
        username="jane", role=Role.AGENT, team=team, preferred_language="en"
    )


@pytest.fixture
def case(
    customer: Customer, team: Team, english_agent: User, policy: SlaPolicy
) -> Case:
    """Opened Thursday 2 April 2026 16:00: first response (8 h) due Friday 15:00,
    at risk from 75 % (6 h) on Friday 13:00."""
    return case_open(
        actor=None,
        customer=customer,
        subject="Colis introuvable",
        team=team,
        assignee=english_agent,
        occurred_at=paris(2026, 4, 2, 16),
    )


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def _titles(user: User) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user)
        .order_by("created_at", "id")
        .values_list("title", flat=True)
    )


@pytest.mark.django_db
def test_nothing_before_the_at_risk_time(case: Case, clock: Clock) -> None:
    clock.set(paris(2026, 4, 3, 12, 59))

    assert sla_scan() == SlaScanResult(at_risk=0, breached=0)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_at_risk_notifies_the_assignee_and_the_supervisor_in_their_language(
    case: Case, clock: Clock, english_agent: User, supervisor: User
) -> None:
    clock.set(paris(2026, 4, 3, 13))

    result = sla_scan()

    reference = case.reference
    assert result == SlaScanResult(at_risk=1, breached=0)
    assert _fresh(case).sla_state == SlaState.AT_RISK
    assert _titles(english_agent) == [
        # Django's English short format is the US one.
        f"{reference}: first response due 3 Apr 2026, 15:00, at risk"
    ]
    assert _titles(supervisor) == [
        f"{reference} : première réponse attendue pour le 03/04/2026 15:00, à risque"
    ]


@pytest.mark.django_db
def test_a_breach_notifies_escalates_to_the_supervisor_and_only_once(
    case: Case, clock: Clock, english_agent: User, supervisor: User
) -> None:
    clock.set(paris(2026, 4, 3, 15, 1))

    first = sla_scan()
    second = sla_scan()

    stored = _fresh(case)
    clock_row = SlaClock.objects.get(case=case, metric=SlaMetric.FIRST_RESPONSE)
    assert (first, second) == (
        SlaScanResult(at_risk=0, breached=1),
        SlaScanResult(at_risk=0, breached=0),
    )
    assert clock_row.breached_at == paris(2026, 4, 3, 15)
    assert (stored.sla_state, stored.escalation_level) == (SlaState.BREACHED, 1)
    escalation = CaseEscalation.objects.get(case=case)
    assert (escalation.level, escalation.source, escalation.escalated_by) == (
        1,
        EscalationSource.SLA_BREACH,
        None,
    )
    assert escalation.reason == (
        "Délai de service dépassé : première réponse attendue pour le 03/04/2026 15:00."
    )
    assert DomainEvent.objects.filter(name="case.escalated").count() == 1
    assert Interaction.objects.filter(case=case, channel=Channel.SYSTEM).count() == 1
    assert _titles(english_agent) == [
        f"{case.reference}: first response target missed (due 3 Apr 2026, 15:00)"
    ]
    assert _titles(supervisor) == [
        f"{case.reference} : objectif de première réponse manqué "
        "(échéance 03/04/2026 15:00)",
        f"{case.reference} vous est escaladé : Superviseur",
    ]


@pytest.mark.django_db
def test_a_paused_clock_is_never_flagged(
    case: Case, clock: Clock, english_agent: User
) -> None:
    clock.set(paris(2026, 4, 2, 17))
    case_change_status(
        actor=english_agent, case=_fresh(case), status=CaseStatus.WAITING_CUSTOMER
    )
    clock.set(paris(2026, 4, 10, 12))

    assert sla_scan() == SlaScanResult(at_risk=0, breached=0)
    assert _fresh(case).escalation_level == 0


@pytest.mark.django_db
def test_a_case_already_higher_on_the_ladder_is_not_escalated_again(
    case: Case, clock: Clock, quality_manager: User
) -> None:
    Case.objects.filter(pk=case.pk).update(escalation_level=2)
    clock.set(paris(2026, 4, 3, 15, 1))

    sla_scan()

    assert _fresh(case).escalation_level == 2
    assert not CaseEscalation.objects.exists()


@pytest.mark.django_db
def test_the_scan_is_a_periodic_task(case: Case, clock: Clock) -> None:
    clock.set(paris(2026, 4, 7, 9))

    result = sla_scan_task.call()

    assert result == {"at_risk": 0, "breached": 1}
    assert {job.name for job in periodic_jobs()} >= {
        "cases.sla_scan",
        "cases.autoclose",
    }
