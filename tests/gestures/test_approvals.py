"""Approvals: the ladder, nobody approves their own request, rejections need a
reason, escalation opens the next level, approvers stay within their authority."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amiable.accounts.models import Role, User
from amiable.cases.models import Case, CaseCost
from amiable.core.errors import (
    InvalidTransitionError,
    PermissionDeniedError,
    ValidationError,
)
from amiable.gestures.errors import (
    AboveAuthorityError,
    GestureAlreadyDecidedError,
    SelfApprovalError,
)
from amiable.gestures.models import (
    ApprovalStep,
    Budget,
    Gesture,
    GestureStatus,
    GestureType,
)
from amiable.gestures.selectors import approval_queue, approval_queue_count
from amiable.gestures.services import (
    approval_overdue_scan,
    gesture_approve,
    gesture_escalate,
    gesture_propose,
    gesture_reject,
)
from amiable.notifications.models import Notification
from tests.factories.gestures import BudgetFactory


def request_above(
    actor: User, case: Case, voucher: GestureType, value: str = "100.00"
) -> Gesture:
    return gesture_propose(
        actor=actor,
        customer=case.customer,
        case=case,
        gesture_type=voucher,
        reason=voucher.reasons.get(),
        value=Decimal(value),
    ).gesture


def test_the_request_is_in_the_supervisors_queue_and_he_approves_it(
    agent: User, supervisor: User, case: Case, voucher: GestureType
) -> None:
    gesture = request_above(agent, case, voucher)

    queued = [step.gesture_id for step in approval_queue(actor=supervisor)]
    approved = gesture_approve(
        actor=supervisor, gesture=gesture, reason="Client fidèle"
    )

    assert queued == [gesture.pk]
    assert approved.status == GestureStatus.APPLIED
    assert approved.applied_by == supervisor
    assert CaseCost.objects.get().amount == Decimal("100.00")
    assert ApprovalStep.objects.get().decision == "approved"
    assert approval_queue_count(actor=supervisor) == 0
    assert (
        Notification.objects.filter(recipient=agent, kind="gesture.approved").count()
        == 1
    )


def test_nobody_approves_their_own_request(
    supervisor: User, quality_manager: User, case: Case, voucher: GestureType
) -> None:
    gesture = request_above(supervisor, case, voucher, "200.00")  # above 150 €: QM

    with pytest.raises(SelfApprovalError):
        gesture_approve(actor=supervisor, gesture=gesture)

    assert approval_queue(actor=supervisor).count() == 0
    assert [s.gesture_id for s in approval_queue(actor=quality_manager)] == [gesture.pk]
    assert Gesture.objects.get().status == GestureStatus.PENDING


def test_a_quality_managers_request_goes_to_an_administrator(
    quality_manager: User, admin_user: User, case: Case, voucher: GestureType
) -> None:
    gesture = request_above(quality_manager, case, voucher, "600.00")

    with pytest.raises(SelfApprovalError):
        gesture_escalate(actor=quality_manager, gesture=gesture)
    gesture_approve(actor=admin_user, gesture=gesture)

    assert ApprovalStep.objects.get().level == Role.ADMIN
    assert Gesture.objects.get().status == GestureStatus.APPLIED


def test_an_agent_cannot_decide(
    agent: User, supervisor: User, case: Case, voucher: GestureType
) -> None:
    from tests.factories import UserFactory

    colleague = UserFactory.create(username="colleague", team=case.team)
    gesture = request_above(colleague, case, voucher)

    with pytest.raises(PermissionDeniedError):
        gesture_approve(actor=agent, gesture=gesture)
    assert approval_queue(actor=agent).count() == 0


def test_a_supervisor_of_another_team_cannot_decide(
    agent: User, supervisor_of_other_team: User, case: Case, voucher: GestureType
) -> None:
    gesture = request_above(agent, case, voucher)

    with pytest.raises(PermissionDeniedError):
        gesture_approve(actor=supervisor_of_other_team, gesture=gesture)
    assert approval_queue(actor=supervisor_of_other_team).count() == 0


def test_a_rejection_needs_a_reason_and_tells_the_requester(
    agent: User, supervisor: User, case: Case, voucher: GestureType
) -> None:
    gesture = request_above(agent, case, voucher)

    with pytest.raises(ValidationError) as blank:
        gesture_reject(actor=supervisor, gesture=gesture, reason="   ")
    rejected = gesture_reject(
        actor=supervisor, gesture=gesture, reason="Déjà remboursé"
    )

    step = ApprovalStep.objects.get()
    assert list(blank.value.fields) == ["reason"]
    assert rejected.status == GestureStatus.REJECTED
    assert (step.decision, step.reason, step.decided_by) == (
        "rejected",
        "Déjà remboursé",
        supervisor,
    )
    assert CaseCost.objects.count() == 0
    assert (
        Notification.objects.filter(recipient=agent, kind="gesture.rejected").count()
        == 1
    )
    with pytest.raises(GestureAlreadyDecidedError):
        gesture_approve(actor=supervisor, gesture=gesture)


def test_a_supervisor_above_his_own_limit_must_escalate(
    agent: User,
    supervisor: User,
    quality_manager: User,
    admin_user: User,
    case: Case,
    voucher: GestureType,
) -> None:
    gesture = request_above(agent, case, voucher, "400.00")

    with pytest.raises(AboveAuthorityError):
        gesture_approve(actor=supervisor, gesture=gesture)
    step = gesture_escalate(
        actor=supervisor, gesture=gesture, reason="Au-delà de 150 €"
    )
    gesture_approve(actor=quality_manager, gesture=gesture)

    levels = list(ApprovalStep.objects.order_by("id").values_list("level", "decision"))
    assert step.level == Role.QUALITY_MANAGER
    assert levels == [
        (Role.SUPERVISOR, "escalated"),
        (Role.QUALITY_MANAGER, "approved"),
    ]
    assert Gesture.objects.get().status == GestureStatus.APPLIED
    assert (
        Notification.objects.filter(
            recipient=quality_manager, kind="gesture.approval_requested"
        ).count()
        == 1
    )


def test_the_administrator_is_the_last_level(
    agent: User,
    supervisor: User,
    quality_manager: User,
    admin_user: User,
    case: Case,
    voucher: GestureType,
) -> None:
    gesture = request_above(agent, case, voucher, "900.00")
    gesture_escalate(actor=supervisor, gesture=gesture)
    gesture_escalate(actor=quality_manager, gesture=gesture)

    with pytest.raises(InvalidTransitionError):
        gesture_escalate(actor=admin_user, gesture=gesture)
    gesture_approve(actor=admin_user, gesture=gesture)

    assert Gesture.objects.get().status == GestureStatus.APPLIED


def test_an_approval_over_a_budget_asking_for_it_is_counted_over_budget(
    agent: User, supervisor: User, case: Case, voucher: GestureType
) -> None:
    BudgetFactory.create(team=case.team, gesture_type=voucher, amount=Decimal("10.00"))
    gesture = request_above(agent, case, voucher, "20.00")

    approved = gesture_approve(actor=supervisor, gesture=gesture)

    assert approved.is_over_budget is True
    assert Budget.objects.get().consumed == Decimal("20.00")


def test_overdue_steps_are_told_once_to_their_level_and_the_next(
    agent: User,
    supervisor: User,
    quality_manager: User,
    case: Case,
    voucher: GestureType,
) -> None:
    from django.utils import timezone

    gesture = request_above(agent, case, voucher)
    ApprovalStep.objects.filter(gesture=gesture).update(due_at=timezone.now())

    first = approval_overdue_scan()
    second = approval_overdue_scan()

    overdue = Notification.objects.filter(kind="gesture.approval_overdue")
    assert (first, second) == (1, 1)
    assert sorted(overdue.values_list("recipient__username", flat=True)) == [
        "quality",
        "supervisor",
    ]
