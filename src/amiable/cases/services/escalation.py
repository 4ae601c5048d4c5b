"""The escalation ladder: 0 agent, 1 supervisor, 2 quality manager (impartial),
3 consumer mediator (external), 4 legal."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from amiable.accounts.models import Role, User
from amiable.audit.models import AuditEvent
from amiable.audit.services import audit_record
from amiable.cases.errors import CaseEscalationError, EscalationOwnerError
from amiable.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEscalation,
    EscalationLevel,
    EscalationSource,
)
from amiable.cases.permissions import can_escalate_to
from amiable.cases.services.notify import case_notify, case_supervisors
from amiable.cases.services.versioning import _lock, _write
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.services import interaction_record
from amiable.core.clock import now
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.events.catalogue import CaseEscalated
from amiable.events.services import event_emit


def case_involved_user_ids(case: Case) -> set[int]:
    """Everyone who took part in the case: its assignees (now and before), the
    authors of its messages, notes and calls, and who escalated it (3 queries)."""
    involved: set[int] = {case.assignee_id} if case.assignee_id else set()
    involved.update(
        Interaction.objects.filter(case=case, author__isnull=False)
        .order_by()
        .values_list("author_id", flat=True)
        .distinct()
    )
    involved.update(
        user_id
        for user_id in CaseEscalation.objects.filter(case=case).values_list(
            "escalated_by_id", flat=True
        )
        if user_id
    )
    for sides in AuditEvent.objects.filter(
        object_type="cases.case",
        object_id=str(case.pk),
        action__in=["case.open", "case.assign"],
    ).values_list("before", "after"):
        for side in sides:
            if isinstance(side, dict) and isinstance(side.get("assignee"), int):
                involved.add(side["assignee"])
    return involved


def _impartial_owner(case: Case, owner: User | None) -> User:
    involved = case_involved_user_ids(case)
    if owner is not None:
        if owner.role != Role.QUALITY_MANAGER or not owner.is_active:
            raise EscalationOwnerError(
                _("Level 2 goes to an active quality manager."),
                fields={"owner_id": [_("Not a quality manager.")]},
            )
        if owner.pk in involved:
            raise EscalationOwnerError(
                _(
                    "%(name)s took part in this case: the quality manager must be "
                    "impartial."
                )
                % {"name": owner.display_name},
                fields={"owner_id": [_("Involved in the case.")]},
            )
        return owner
    candidate = (
        User.objects.filter(role=Role.QUALITY_MANAGER, is_active=True)
        .exclude(pk__in=involved)
        .annotate(
            load=Count(
                "escalated_cases",
                filter=Q(escalated_cases__status__in=OPEN_STATUSES),
            )
        )
        .order_by("load", "pk")
        .first()
    )
    if candidate is None:
        raise EscalationOwnerError(
            _(
                "No impartial quality manager is available: every quality manager "
                "took part in this case."
            ),
            fields={"owner_id": [_("Nobody impartial.")]},
        )
    return candidate


@transaction.atomic
def case_escalate(
    *,
    actor: User | None,
    case: Case,
    level: int,
    reason: str,
    owner: User | None = None,
    source: str = EscalationSource.MANUAL,
    expected_version: int | None = None,
) -> CaseEscalation:
    """Put the case on a higher ``level`` of the ladder, saying why.

    Level 2 goes to an impartial quality manager (``owner``, or the least loaded
    one who never took part in the case); levels 3 and 4 keep the level-2 owner.
    Records who, when, why and the level; writes a line on the timeline; notifies
    the team's supervisors (level 1) or the owner; emits ``case.escalated``.
    Raises ValidationError (no reason, unknown level), PermissionDeniedError (the
    actor's role may not reach that level), CaseEscalationError (409: not higher
    than the current level, or the case is resolved or closed),
    EscalationOwnerError (nobody impartial, or the owner named is not).
    """
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if level not in EscalationLevel.values or level == EscalationLevel.AGENT:
        errors["level"] = [_("Choose a level from 1 to 4.")]
    if not reason:
        errors["reason"] = [_("Say why the case is escalated.")]
    if errors:
        raise ValidationError(_("The case cannot be escalated."), fields=errors)
    case = _lock(case, expected_version=expected_version)
    if actor is not None and not can_escalate_to(actor, level):
        raise PermissionDeniedError(
            _("Your role cannot escalate a case to this level."),
            fields={"level": [_("Not allowed.")]},
        )
    previous = case.escalation_level
    if not case.is_open or level <= previous:
        allowed = [lvl for lvl in EscalationLevel.values if lvl > previous]
        message = (
            _("A resolved or closed case is not escalated: reopen it first.")
            if not case.is_open
            else _("The case is already at level %(level)s (%(label)s).")
            % {"level": previous, "label": EscalationLevel(previous).label}
        )
        raise CaseEscalationError(
            message,
            fields={"level": [message]},
            extra={"allowed": allowed if case.is_open else []},
        )
    if level == EscalationLevel.QUALITY_MANAGER:
        new_owner: User | None = _impartial_owner(case, owner)
    elif level > EscalationLevel.QUALITY_MANAGER:
        new_owner = owner or case.escalation_owner
    else:
        new_owner = None
    stamp = now()
    row = CaseEscalation.objects.create(
        case=case,
        previous_level=previous,
        level=level,
        reason=reason,
        source=source,
        escalated_by=actor,
        owner=new_owner,
        escalated_at=stamp,
    )
    case = _write(
        case,
        expected_version=None,
        actor=actor,
        changes={
            "escalation_level": level,
            "escalation_owner": new_owner,
            "last_activity_at": stamp,
        },
    )
    label = EscalationLevel(level).label
    audit_record(
        actor=actor,
        action="case.escalate",
        instance=case,
        before={"escalation_level": previous},
        after={
            "escalation_level": level,
            "escalation_owner": new_owner.pk if new_owner else None,
            "reason": reason,
            "source": source,
        },
    )
    interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=Channel.SYSTEM,
        direction=Direction.INTERNAL,
        body_text=_("Escalated to level %(level)d (%(label)s): %(reason)s")
        % {"level": level, "label": label, "reason": reason}
        + (f" — {new_owner.display_name}" if new_owner else ""),
        occurred_at=stamp,
        metadata={"escalation": {"level": level, "previous_level": previous}},
    )
    event_emit(
        CaseEscalated(
            case_id=case.pk,
            customer_id=case.customer_id,
            previous_level=previous,
            level=level,
            reason=reason,
            escalated_at=stamp,
        ),
        actor=actor,
    )
    reference = case.reference
    recipients: list[User | None] = (
        [*case_supervisors(case)]
        if level == EscalationLevel.SUPERVISOR
        else [new_owner]
    )
    case_notify(
        case=case,
        recipients=recipients,
        kind="case.escalated",
        title=lambda: (
            _("%(reference)s escalated to you: %(label)s")
            % {"reference": reference, "label": EscalationLevel(level).label}
        ),
        dedupe_key=f"case.escalated:{row.pk}",
    )
    return row
