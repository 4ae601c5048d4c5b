"""The approvals queue, and what an approver sees before deciding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK
from amiable.cases.selectors import Customer360, customer_360
from amiable.gestures.models import ApprovalStep, Gesture, GestureStatus, StepDecision
from amiable.gestures.permissions import effective_role, is_approver
from amiable.gestures.selectors.consistency import Consistency, gesture_consistency
from amiable.gestures.selectors.visibility import GESTURE_RELATED

SIMILAR_LOOKBACK = dt.timedelta(days=365)
HISTORY_SIZE = 10
SIMILAR_SIZE = 5


def approval_queue(*, actor: User) -> QuerySet[ApprovalStep]:
    """Pending steps the actor may decide (their level or below; a supervisor's
    own team), never the actor's own requests; the most urgent first."""
    if not is_approver(actor):
        return ApprovalStep.objects.none()
    role = effective_role(actor)
    levels = [
        level for level, rank in ROLE_RANK.items() if 1 <= rank <= ROLE_RANK[role]
    ]
    queryset = ApprovalStep.objects.filter(
        decision=StepDecision.PENDING, level__in=levels
    ).exclude(gesture__requested_by=actor)
    if role == Role.SUPERVISOR:
        queryset = queryset.filter(Q(team__isnull=True) | Q(team_id=actor.team_id))
    return queryset.select_related(
        *(f"gesture__{name}" for name in GESTURE_RELATED)
    ).order_by("due_at", "id")


def approval_queue_count(*, actor: User) -> int:
    """The badge of the approvals entry (one query; none for agents)."""
    if not is_approver(actor):
        return 0
    return approval_queue(actor=actor).count()


def pending_step(*, gesture: Gesture) -> ApprovalStep | None:
    return (
        ApprovalStep.objects.filter(gesture=gesture, decision=StepDecision.PENDING)
        .order_by("-id")
        .first()
    )


@dataclass(frozen=True)
class ApprovalContext:
    """Everything an approver should weigh: the customer's value and tenure, their
    history, the gestures they already got, and what similar cases got."""

    summary: Customer360
    previous_gestures: list[Gesture]
    similar_gestures: list[Gesture]
    consistency: Consistency
    steps: list[ApprovalStep]


def approval_context(*, actor: User, gesture: Gesture) -> ApprovalContext:
    """A fixed number of queries whatever the history's length."""
    at = gesture.requested_at
    previous = list(
        Gesture.objects.filter(customer_id=gesture.customer_id)
        .exclude(pk=gesture.pk)
        .select_related("gesture_type", "reason", "case")
        .order_by("-requested_at", "-id")[:HISTORY_SIZE]
    )
    similar_scope = Gesture.objects.filter(
        status=GestureStatus.APPLIED,
        category=gesture.category,
        customer_tier=gesture.customer_tier,
        case__isnull=False,
        applied_at__gte=at - SIMILAR_LOOKBACK,
    ).exclude(customer_id=gesture.customer_id)
    similar = list(
        similar_scope.select_related("gesture_type", "reason", "case").order_by(
            "-applied_at", "-id"
        )[:SIMILAR_SIZE]
    )
    return ApprovalContext(
        summary=customer_360(actor=actor, customer=gesture.customer),
        previous_gestures=previous,
        similar_gestures=similar,
        consistency=gesture_consistency(
            gesture_type_id=gesture.gesture_type_id,
            category=gesture.category,
            customer_tier=gesture.customer_tier,
            value=gesture.value,
            at=at,
            exclude_id=gesture.pk,
        ),
        steps=list(
            ApprovalStep.objects.filter(gesture=gesture)
            .select_related("decided_by")
            .order_by("created_at", "id")
        ),
    )
