"""Approval of gestures above their requester's authority: one step per level
(supervisor, then quality manager, then administrator), each with its due time.
An approver approves (within their own authority), rejects with a reason, or
escalates to the next level. Nobody decides their own request."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from amiable.accounts.models import Role, User
from amiable.audit.services import audit_record
from amiable.core.clock import now
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
from amiable.gestures.models import ApprovalStep, Gesture, GestureStatus, StepDecision
from amiable.gestures.permissions import can_decide_level, next_level
from amiable.gestures.selectors.authority import authority_for
from amiable.gestures.services.applying import customer_limit_lock, gesture_apply
from amiable.gestures.services.settings import gesture_settings_get
from amiable.notifications.services import notification_send
from amiable.sla.business_hours import add_business_time
from amiable.sla.selectors import calendar_of, calendar_version_for_team

MAX_REASON = 2000


def approvers_of(*, level: str, team_id: int | None) -> list[User]:
    """Who is told about a step: the level's active staff (a supervisor step: the
    team's supervisors, or every supervisor when the team has none)."""
    base = User.objects.filter(is_active=True, role=level)
    if level == Role.SUPERVISOR and team_id is not None:
        own = list(base.filter(team_id=team_id))
        if own:
            return own
    return list(base)


def approval_step_open(
    *, gesture: Gesture, level: str, requested_by: User | None
) -> ApprovalStep:
    """Open the pending step of ``level`` (inside the caller's transaction), due
    after that level's hours counted in the team's business hours (the default
    calendar's for a gesture without a team; wall-clock hours when no calendar
    exists), and notify its approvers (never the requester)."""
    moment = now()
    hours = dt.timedelta(hours=gesture_settings_get().due_hours(level))
    version = calendar_version_for_team(team_id=gesture.team_id)
    due_at = (
        add_business_time(calendar_of(version), moment, hours)
        if version is not None
        else moment + hours
    )
    step = ApprovalStep.objects.create(
        gesture=gesture,
        level=level,
        team=gesture.team,
        created_at=moment,
        due_at=due_at,
    )
    audit_record(
        actor=requested_by,
        action="gesture.approval_requested",
        instance=gesture,
        after={"level": level, "due_at": step.due_at, "step": step.pk},
    )
    recipients = [
        user
        for user in approvers_of(level=level, team_id=gesture.team_id)
        if user.pk != gesture.requested_by_id
    ]
    notification_send(
        recipients=recipients,
        kind="gesture.approval_requested",
        title=_("Gesture to approve: %(type)s %(value)s for %(customer)s")
        % {
            "type": gesture.gesture_type.code,
            "value": gesture.value,
            "customer": gesture.customer.name,
        },
        url=reverse("gestures:detail", args=[gesture.pk]),
        dedupe_key=f"gestures.step:{step.pk}",
    )
    return step


def _locked(gesture: Gesture) -> tuple[Gesture, ApprovalStep]:
    """The gesture row locked, and its pending step; raises when decided."""
    locked = Gesture.objects.select_for_update().get(pk=gesture.pk)
    step = (
        ApprovalStep.objects.select_for_update()
        .filter(gesture=locked, decision=StepDecision.PENDING)
        .first()
    )
    if locked.status != GestureStatus.PENDING or step is None:
        raise GestureAlreadyDecidedError(_("This gesture was decided already."))
    return locked, step


def _may_decide(actor: User, gesture: Gesture, step: ApprovalStep) -> None:
    if gesture.requested_by_id == actor.pk:
        raise SelfApprovalError(_("Nobody approves their own request."))
    if not can_decide_level(actor, step.level, step.team_id):
        raise PermissionDeniedError(
            _("This request waits for a %(level)s.")
            % {"level": Role(step.level).label.lower()}
        )


def _close(step: ApprovalStep, actor: User, decision: str, reason: str) -> None:
    step.decision = decision
    step.decided_by = actor
    step.decided_at = now()
    step.reason = reason
    step.save(update_fields=["decision", "decided_by", "decided_at", "reason"])


def _tell_requester(
    gesture: Gesture, kind: str, title: str, step: ApprovalStep
) -> None:
    if gesture.requested_by is None:
        return
    notification_send(
        recipients=[gesture.requested_by],
        kind=kind,
        title=title,
        url=reverse("gestures:detail", args=[gesture.pk]),
        dedupe_key=f"gestures.decided:{step.pk}",
    )


@transaction.atomic
def gesture_approve(*, actor: User, gesture: Gesture, reason: str = "") -> Gesture:
    """Approve the pending step and apply the gesture.

    Raises SelfApprovalError for one's own request, PermissionDeniedError below
    the step's level, AboveAuthorityError when the gesture exceeds the approver's
    own limit (escalate instead), BudgetExhaustedError when a blocking budget is
    spent, GestureAlreadyDecidedError when it was decided meanwhile.
    """
    # The customer's row before the rolling sum is read (see customer_limit_lock).
    customer_limit_lock(customer_id=gesture.customer_id)
    locked, step = _locked(gesture)
    if locked.customer_id != gesture.customer_id:  # merged meanwhile
        customer_limit_lock(customer_id=locked.customer_id)
    _may_decide(actor, locked, step)
    authority = authority_for(
        user=actor,
        gesture_type_id=locked.gesture_type_id,
        customer_id=locked.customer_id,
        at=now(),
        exclude_id=locked.pk,
    )
    if not authority.covers(locked.value):
        raise AboveAuthorityError(
            _("This gesture is above your own authority: escalate it."),
            fields={"value": [_("Above your limit.")]},
        )
    _close(step, actor, StepDecision.APPROVED, reason.strip()[:MAX_REASON])
    audit_record(
        actor=actor,
        action="gesture.approve",
        instance=locked,
        after={"step": step.pk, "level": step.level},
    )
    # Approved, a gesture waits for no budget (a blocking one raises).
    gesture_apply(actor=actor, gesture=locked, approved=True)
    locked.refresh_from_db()
    _tell_requester(
        locked,
        "gesture.approved",
        _("Your gesture for %(customer)s was approved")
        % {"customer": locked.customer.name},
        step,
    )
    return locked


@transaction.atomic
def gesture_reject(*, actor: User, gesture: Gesture, reason: str) -> Gesture:
    """Reject the request; a reason is required (the requester reads it)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the gesture is rejected."),
            fields={"reason": [_("Required.")]},
        )
    locked, step = _locked(gesture)
    _may_decide(actor, locked, step)
    _close(step, actor, StepDecision.REJECTED, reason[:MAX_REASON])
    locked.status = GestureStatus.REJECTED
    locked.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="gesture.reject",
        instance=locked,
        before={"status": GestureStatus.PENDING},
        after={"status": GestureStatus.REJECTED, "reason": reason, "step": step.pk},
    )
    _tell_requester(
        locked,
        "gesture.rejected",
        _("Your gesture for %(customer)s was rejected: %(reason)s")
        % {"customer": locked.customer.name, "reason": reason[:120]},
        step,
    )
    return locked


@transaction.atomic
def gesture_escalate(
    *, actor: User, gesture: Gesture, reason: str = ""
) -> ApprovalStep:
    """Pass the request to the next level (a new step with its own due time).
    Raises InvalidTransitionError at the top of the ladder."""
    locked, step = _locked(gesture)
    _may_decide(actor, locked, step)
    level = next_level(step.level)
    if level is None:
        raise InvalidTransitionError(
            _("Administrators are the last level: approve or reject.")
        )
    _close(step, actor, StepDecision.ESCALATED, reason.strip()[:MAX_REASON])
    audit_record(
        actor=actor,
        action="gesture.escalate",
        instance=locked,
        after={"from": step.level, "to": level},
    )
    return approval_step_open(gesture=locked, level=level, requested_by=actor)


def approval_overdue_scan() -> int:
    """Tell the approvers of every overdue step, once per step, and the level
    above so it can step in; returns how many steps were overdue."""
    moment = now()
    overdue = list(
        ApprovalStep.objects.filter(
            Q(decision=StepDecision.PENDING), due_at__lt=moment
        ).select_related("gesture__customer", "gesture__gesture_type")
    )
    for step in overdue:
        levels = [step.level]
        above = next_level(step.level)
        if above is not None:
            levels.append(above)
        recipients = [
            user
            for level in levels
            for user in approvers_of(level=level, team_id=step.team_id)
            if user.pk != step.gesture.requested_by_id
        ]
        notification_send(
            recipients=recipients,
            kind="gesture.approval_overdue",
            title=_("Overdue approval: %(type)s %(value)s for %(customer)s")
            % {
                "type": step.gesture.gesture_type.code,
                "value": step.gesture.value,
                "customer": step.gesture.customer.name,
            },
            url=reverse("gestures:detail", args=[step.gesture_id]),
            dedupe_key=f"gestures.overdue:{step.pk}",
        )
    return len(overdue)
