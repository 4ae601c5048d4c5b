"""The escalation ladder: who may climb where, the impartial quality manager, the
record of each climb, and the mediator referral coming from the disputes app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from amiable.accounts.models import Team, User
from amiable.cases.errors import CaseEscalationError, EscalationOwnerError
from amiable.cases.models import (
    Case,
    CaseEscalation,
    CaseKind,
    CaseStatus,
    EscalationSource,
)
from amiable.cases.services import (
    case_add_note,
    case_assign,
    case_escalate,
    case_involved_user_ids,
)
from amiable.conversations.models import Channel, Interaction
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.events.catalogue import DisputeMediationReferred
from amiable.events.models import DomainEvent, EventDelivery
from amiable.events.services import event_emit
from amiable.notifications.models import Notification
from tests.cases.conftest import paris
from tests.factories import CaseFactory, UserFactory

OnCommit = Callable[..., Any]


@pytest.fixture
def case(team: Team, agent: User) -> Case:
    return CaseFactory.create(
        team=team, assignee=agent, kind=CaseKind.DISPUTE, status=CaseStatus.OPEN
    )


def _fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


@pytest.mark.django_db
def test_an_agent_asks_their_supervisor(
    case: Case, agent: User, supervisor: User
) -> None:
    row = case_escalate(
        actor=agent,
        case=case,
        level=1,
        reason="Client très mécontent",
        expected_version=1,
    )

    stored = _fresh(case)
    assert (row.previous_level, row.level, row.escalated_by, row.owner) == (
        0,
        1,
        agent,
        None,
    )
    assert (stored.escalation_level, stored.version) == (1, 2)
    event = DomainEvent.objects.get(name="case.escalated")
    assert event.payload["level"] == 1
    assert event.payload["reason"] == "Client très mécontent"
    line = Interaction.objects.get(case=case, channel=Channel.SYSTEM)
    assert line.body_text == (
        "Escaladé au niveau 1 (Superviseur) : Client très mécontent"
    )
    assert Notification.objects.get(recipient=supervisor).kind == "case.escalated"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "level"),
    [
        ("agent", 2),
        ("supervisor", 3),
        ("supervisor", 4),
    ],
)
def test_each_role_reaches_only_the_next_step(
    request: pytest.FixtureRequest, case: Case, role: str, level: int
) -> None:
    actor: User = request.getfixturevalue(role)

    with pytest.raises(PermissionDeniedError):
        case_escalate(actor=actor, case=case, level=level, reason="Urgent")

    assert _fresh(case).escalation_level == 0
    assert not CaseEscalation.objects.exists()


@pytest.mark.django_db
def test_the_ladder_only_climbs(case: Case, supervisor: User) -> None:
    case_escalate(actor=supervisor, case=case, level=1, reason="Voir")

    with pytest.raises(CaseEscalationError) as caught:
        case_escalate(actor=supervisor, case=_fresh(case), level=1, reason="Encore")

    assert caught.value.status == 409
    assert caught.value.extra == {"allowed": [2, 3, 4]}


@pytest.mark.django_db
def test_a_reason_is_required(case: Case, agent: User) -> None:
    with pytest.raises(ValidationError) as caught:
        case_escalate(actor=agent, case=case, level=1, reason="   ")

    assert caught.value.fields == {
        "reason": ["Indiquez pourquoi le dossier est escaladé."]
    }


@pytest.mark.django_db
def test_a_closed_case_is_not_escalated(team: Team, supervisor: User) -> None:
    case = CaseFactory.create(team=team, status=CaseStatus.CLOSED)

    with pytest.raises(CaseEscalationError):
        case_escalate(actor=supervisor, case=case, level=1, reason="Trop tard")


@pytest.mark.django_db
def test_level_two_goes_to_an_impartial_quality_manager(
    case: Case,
    supervisor: User,
    quality_manager: User,
    second_quality_manager: User,
) -> None:
    # The first quality manager wrote a note on the case: not impartial any more.
    case_add_note(actor=quality_manager, case=case, body_text="Je connais ce client.")

    row = case_escalate(
        actor=supervisor, case=_fresh(case), level=2, reason="Litige sérieux"
    )

    assert row.owner == second_quality_manager
    assert _fresh(case).escalation_owner == second_quality_manager
    assert Notification.objects.get(recipient=second_quality_manager).title == (
        f"{case.reference} vous est escaladé : Responsable qualité"
    )


@pytest.mark.django_db
def test_naming_an_involved_quality_manager_is_refused(
    case: Case, supervisor: User, quality_manager: User
) -> None:
    case_assign(actor=supervisor, case=case, assignee=quality_manager)
    case_assign(actor=supervisor, case=_fresh(case), assignee=supervisor)

    with pytest.raises(EscalationOwnerError) as caught:
        case_escalate(
            actor=supervisor,
            case=_fresh(case),
            level=2,
            reason="Litige",
            owner=quality_manager,
        )

    assert caught.value.fields == {"owner_id": ["Impliqué dans le dossier."]}
    assert _fresh(case).escalation_level == 0


@pytest.mark.django_db
def test_nobody_impartial_left_is_a_clear_error(
    case: Case, supervisor: User, quality_manager: User
) -> None:
    case_add_note(actor=quality_manager, case=case, body_text="Déjà vu.")

    with pytest.raises(EscalationOwnerError) as caught:
        case_escalate(actor=supervisor, case=_fresh(case), level=2, reason="Litige")

    assert caught.value.message == (
        "Aucun responsable qualité impartial n’est disponible : tous ont participé "
        "à ce dossier."
    )


@pytest.mark.django_db
def test_involvement_covers_assignees_authors_and_escalators(
    case: Case, agent: User, supervisor: User, other_agent: User
) -> None:
    case_add_note(actor=other_agent, case=case, body_text="Note")
    case_escalate(actor=supervisor, case=_fresh(case), level=1, reason="Voir")
    colleague = UserFactory.create(team=case.team)
    case_assign(actor=supervisor, case=_fresh(case), assignee=colleague)

    assert case_involved_user_ids(_fresh(case)) == {
        agent.pk,
        other_agent.pk,
        supervisor.pk,
        colleague.pk,
    }


@pytest.mark.django_db
def test_the_quality_manager_keeps_the_case_up_to_legal(
    case: Case, supervisor: User, quality_manager: User
) -> None:
    case_escalate(actor=supervisor, case=case, level=2, reason="Litige")

    case_escalate(
        actor=quality_manager, case=_fresh(case), level=4, reason="Mise en demeure"
    )

    stored = _fresh(case)
    assert (stored.escalation_level, stored.escalation_owner) == (4, quality_manager)
    assert list(
        CaseEscalation.objects.filter(case=case).values_list("previous_level", "level")
    ) == [(0, 2), (2, 4)]


@pytest.mark.django_db
def test_a_mediation_referral_puts_the_case_on_level_three_once(
    case: Case, django_capture_on_commit_callbacks: OnCommit
) -> None:
    referral = DisputeMediationReferred(
        case_id=case.pk,
        customer_id=case.customer_id,
        mediator="CM2C",
        referred_at=paris(2026, 6, 1, 10),
        file_complete_at=None,
    )

    with django_capture_on_commit_callbacks(execute=True):
        event_emit(referral)
    with django_capture_on_commit_callbacks(execute=True):
        event_emit(referral)

    stored = _fresh(case)
    row = CaseEscalation.objects.get(case=case)
    assert (stored.escalation_level, row.source, row.previous_level) == (
        3,
        EscalationSource.MEDIATION,
        0,
    )
    assert row.reason == "Saisine du médiateur de la consommation CM2C."
    # Each of the two events reached the cases handler once (other apps may hear
    # them too).
    cases_handler = EventDelivery.objects.filter(handler__startswith="amiable.cases.")
    assert cases_handler.count() == 2


@pytest.mark.django_db
def test_a_mediation_referral_reopens_a_resolved_dispute(
    team: Team, django_capture_on_commit_callbacks: OnCommit
) -> None:
    case = CaseFactory.create(team=team, kind=CaseKind.DISPUTE, status="resolved")

    with django_capture_on_commit_callbacks(execute=True):
        event_emit(
            DisputeMediationReferred(
                case_id=case.pk,
                customer_id=case.customer_id,
                mediator="Médiateur du e-commerce",
                referred_at=paris(2026, 6, 1, 10),
                file_complete_at=paris(2026, 6, 3, 10),
            )
        )

    stored = _fresh(case)
    assert (stored.status, stored.escalation_level, stored.reopened_count) == (
        CaseStatus.OPEN,
        3,
        1,
    )


@pytest.mark.django_db
def test_a_case_above_mediation_is_left_alone(
    team: Team, django_capture_on_commit_callbacks: OnCommit
) -> None:
    case = CaseFactory.create(team=team, kind=CaseKind.DISPUTE, escalation_level=4)

    with django_capture_on_commit_callbacks(execute=True):
        event_emit(
            DisputeMediationReferred(
                case_id=case.pk,
                customer_id=case.customer_id,
                mediator="CM2C",
                referred_at=paris(2026, 6, 1, 10),
                file_complete_at=None,
            )
        )

    assert _fresh(case).escalation_level == 4
    assert not CaseEscalation.objects.exists()
