"""Moving a case through its statuses: the lifecycle of its kind, resolution with
its summary, category and root cause, and closing resolved cases left unanswered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.cases.errors import CaseTransitionError
from amiable.cases.lifecycle import NEEDS_ROOT_CAUSE, allowed_next, is_allowed
from amiable.cases.models import (
    Case,
    CaseCategory,
    CaseKind,
    CaseStatus,
    RootCause,
)
from amiable.cases.services.versioning import (
    CASE_AUDITED_FIELDS,
    _lock,
    _write,
)
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import interaction_record
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.events.catalogue import CaseResolved
from amiable.events.services import event_emit

AUTOCLOSE_BATCH = 200


def _check_transition(case: Case, status: str) -> None:
    if is_allowed(case.status, status, case.kind):
        return
    allowed = allowed_next(case.status, case.kind)
    raise CaseTransitionError(
        _("A case cannot go from %(current)s to %(target)s.")
        % {
            "current": case.get_status_display(),
            "target": CaseStatus(status).label,
        },
        fields={
            "status": [_("Allowed: %(allowed)s") % {"allowed": ", ".join(allowed)}]
        },
        extra={"allowed": allowed},
    )


@transaction.atomic
def case_change_status(
    *,
    actor: User | None,
    case: Case,
    status: str,
    expected_version: int | None = None,
    resolution_summary: str = "",
    root_cause: RootCause | None = None,
    category: CaseCategory | str | None = None,
) -> Case:
    """Move a case to ``status`` along its kind's lifecycle.

    Moving to ``resolved`` is ``case_resolve`` (same rules: a summary, and for
    complaints and disputes a category and a root cause; the case's stored ones
    count). Leaving resolved or closed for work counts a reopen. Raises
    CaseTransitionError (409, with the allowed statuses) for an illegal move,
    ValidationError for an unknown status or a resolution that lacks something.
    """
    if status not in CaseStatus.values:
        raise ValidationError(_("Unknown status."), fields={"status": [_("Unknown.")]})
    if status == CaseStatus.RESOLVED:
        return case_resolve(
            actor=actor,
            case=case,
            resolution_summary=resolution_summary,
            root_cause=root_cause,
            category=category,
            expected_version=expected_version,
        )
    case = _lock(case, expected_version=expected_version)
    if status == case.status:
        return case
    _check_transition(case, status)
    stamp = now()
    changes: dict[str, Any] = {"status": status, "last_activity_at": stamp}
    if status == CaseStatus.CLOSED:
        changes["closed_at"] = stamp
        if case.resolved_at is None:
            changes["resolved_at"] = stamp
    before = snapshot(case, CASE_AUDITED_FIELDS)
    case = _write(case, expected_version=expected_version, changes=changes, actor=actor)
    audit_record(
        actor=actor,
        action="case.change_status",
        instance=case,
        before=before,
        after=snapshot(case, CASE_AUDITED_FIELDS),
    )
    return case


def _category_code(category: CaseCategory | str | None, case: Case) -> str:
    if isinstance(category, CaseCategory):
        return category.code
    if category is None:
        return case.category
    return category.strip()


def _resolution_errors(
    case: Case, summary: str, category_code: str, root_cause: RootCause | None
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not summary:
        errors["resolution_summary"] = [_("Say how the case was resolved.")]
    if case.kind not in NEEDS_ROOT_CAUSE:
        return errors
    kind = CaseKind(case.kind).label
    if not category_code:
        errors["category"] = [_("A %(kind)s needs a category.") % {"kind": kind}]
    elif not CaseCategory.objects.filter(code=category_code, is_active=True).exists():
        errors["category"] = [_("Choose an active category of the list.")]
    if root_cause is None:
        errors["root_cause"] = [_("A %(kind)s needs a root cause.") % {"kind": kind}]
    elif not root_cause.is_active:
        errors["root_cause"] = [_("This root cause is no longer in use.")]
    elif root_cause.children.filter(is_active=True).exists():
        errors["root_cause"] = [_("Choose a cause within this family.")]
    return errors


@transaction.atomic
def case_resolve(
    *,
    actor: User | None,
    case: Case,
    resolution_summary: str,
    root_cause: RootCause | None = None,
    category: CaseCategory | str | None = None,
    expected_version: int | None = None,
) -> Case:
    """Resolve the case with how it was resolved, and for complaints and disputes
    the category and root cause (active entries of the taxonomies; a root cause
    must be a cause, not a family). What is not given is taken from the case.

    Stops the SLA clocks, emits ``case.status_changed`` and ``case.resolved``. On a
    case already resolved it corrects the resolution (nothing when unchanged).
    Raises ValidationError listing what is missing, CaseTransitionError (409) when
    the case cannot be resolved from its status.
    """
    case = _lock(case, expected_version=expected_version)
    summary = (resolution_summary or case.resolution_summary).strip()
    category_code = _category_code(category, case)
    cause = root_cause if root_cause is not None else case.root_cause
    if case.status != CaseStatus.RESOLVED:
        _check_transition(case, CaseStatus.RESOLVED)
    errors = _resolution_errors(case, summary, category_code, cause)
    if errors:
        raise ValidationError(_("The case cannot be resolved yet."), fields=errors)
    was_resolved = case.status == CaseStatus.RESOLVED
    if was_resolved and (summary, category_code, cause) == (
        case.resolution_summary,
        case.category,
        case.root_cause,
    ):
        return case
    stamp = now()
    changes: dict[str, Any] = {
        "status": CaseStatus.RESOLVED,
        "resolution_summary": summary,
        "category": category_code[:80],
        "root_cause": cause,
        "last_activity_at": stamp,
    }
    if not was_resolved:
        changes["resolved_at"] = stamp
    before = snapshot(case, CASE_AUDITED_FIELDS)
    case = _write(case, expected_version=expected_version, changes=changes, actor=actor)
    audit_record(
        actor=actor,
        action="case.resolve",
        instance=case,
        before=before,
        after=snapshot(case, CASE_AUDITED_FIELDS),
    )
    if was_resolved:
        return case  # the resolution was corrected, the case was not resolved again
    event_emit(
        CaseResolved(
            case_id=case.pk,
            customer_id=case.customer_id,
            kind=case.kind,
            category=case.category,
            root_cause_id=case.root_cause_id,
            resolved_at=case.resolved_at or stamp,
            reopened_count=case.reopened_count,
        ),
        actor=actor,
    )
    return case


def case_autoclose_due(*, at: dt.datetime | None = None) -> int:
    """Close the cases resolved ``CASE_AUTOCLOSE_DAYS`` days ago or more that the
    customer has not answered since (an answer reopens a case); returns how many.

    Each case closes in its own transaction, as the system, with a line on its
    timeline. Idempotent: a closed case is not resolved any more.
    """
    moment = at or now()
    days: int = settings.CASE_AUTOCLOSE_DAYS
    cutoff = moment - dt.timedelta(days=days)
    closed = 0
    last_id = 0
    while True:
        ids = list(
            Case.objects.filter(
                status=CaseStatus.RESOLVED, resolved_at__lte=cutoff, pk__gt=last_id
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:AUTOCLOSE_BATCH]
        )
        for case_id in ids:
            closed += _autoclose_one(case_id, cutoff, days)
        if len(ids) < AUTOCLOSE_BATCH:
            return closed
        last_id = ids[-1]


@transaction.atomic
def _autoclose_one(case_id: int, cutoff: dt.datetime, days: int) -> int:
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if case is None or case.status != CaseStatus.RESOLVED:
        return 0
    if case.resolved_at is None or case.resolved_at > cutoff:
        return 0
    case = case_change_status(actor=None, case=case, status=CaseStatus.CLOSED)
    interaction_record(
        actor=None,
        customer=case.customer,
        case=case,
        channel=Channel.SYSTEM,
        direction=Direction.INTERNAL,
        body_text=_(
            "Closed automatically: resolved %(days)d days ago without a reply "
            "from the customer."
        )
        % {"days": days},
    )
    return 1
