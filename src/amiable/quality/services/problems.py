"""Changing a problem: its owner, corrective action and status; linking cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.accounts.models import Role, User
from amiable.audit.services import audit_record, snapshot
from amiable.cases.models import Case, RootCause
from amiable.core.clock import now
from amiable.core.errors import ConflictError, PermissionDeniedError, ValidationError
from amiable.quality.errors import QualityVersionConflictError
from amiable.quality.models import (
    ActionStatus,
    Problem,
    ProblemCase,
    ProblemStatus,
)
from amiable.quality.permissions import can_manage_problems

PROBLEM_FIELDS = [
    "title",
    "status",
    "owner",
    "corrective_action",
    "action_status",
    "action_due_on",
    "version",
]
EDITABLE = frozenset(PROBLEM_FIELDS) - {"version"}


def _locked(problem: Problem, expected_version: int | None) -> Problem:
    locked = Problem.objects.select_for_update(of=("self",)).get(pk=problem.pk)
    if expected_version is not None and locked.version != expected_version:
        raise QualityVersionConflictError(
            _("Someone else changed this problem meanwhile. Reload it and try again."),
            extra={"current_version": locked.version},
        )
    return locked


@transaction.atomic
def problem_update(
    *, actor: User, problem: Problem, expected_version: int | None, **changes: Any
) -> Problem:
    """Set the owner (a quality manager or an admin), the corrective action and its
    status and due date, the title, or close/reopen the problem. Closing needs a
    corrective action done; reopening is refused while another problem of the same
    root cause is open. Raises PermissionDeniedError, ValidationError,
    ConflictError, QualityVersionConflictError."""
    if not can_manage_problems(actor):
        raise PermissionDeniedError(_("Problems are managed by the quality manager."))
    unknown = set(changes) - EDITABLE
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here."),
            fields={
                name: [_("Unknown or read-only field.")] for name in sorted(unknown)
            },
        )
    problem = _locked(problem, expected_version)
    before = snapshot(problem, PROBLEM_FIELDS)
    errors: dict[str, list[str]] = {}
    if "title" in changes:
        changes["title"] = str(changes["title"]).strip()[:200]
        if not changes["title"]:
            errors["title"] = [_("Required.")]
    owner = changes.get("owner")
    if owner is not None and (
        not owner.is_active
        or not (owner.is_superuser or owner.role in {Role.QUALITY_MANAGER, Role.ADMIN})
    ):
        errors["owner"] = [_("The owner is a quality manager or an administrator.")]
    if changes.get("action_status", ActionStatus.TO_DEFINE) not in ActionStatus.values:
        errors["action_status"] = [_("Unknown status.")]
    if changes.get("status", ProblemStatus.OPEN) not in ProblemStatus.values:
        errors["status"] = [_("Unknown status.")]
    if errors:
        raise ValidationError(_("The problem cannot be saved."), fields=errors)
    for name, value in changes.items():
        setattr(problem, name, value)
    if (
        problem.status == ProblemStatus.CLOSED
        and before["status"] != ProblemStatus.CLOSED
    ):
        if problem.action_status not in {ActionStatus.DONE, ActionStatus.VERIFIED}:
            raise ValidationError(
                _("Close a problem once its corrective action is done."),
                fields={"status": [_("The corrective action is not done.")]},
            )
        problem.closed_at = now()
    elif problem.status == ProblemStatus.OPEN:
        problem.closed_at = None
    problem.version += 1
    try:
        with transaction.atomic():
            problem.save()
    except IntegrityError:
        raise ConflictError(
            _("Another problem of this root cause is open."),
            fields={"status": [_("Close the other one first.")]},
        ) from None
    audit_record(
        actor=actor,
        action="problem.update",
        instance=problem,
        before=before,
        after=snapshot(problem, PROBLEM_FIELDS),
    )
    return problem


@transaction.atomic
def problem_link_case(
    *, actor: User, problem: Problem, case: Case, at: dt.datetime | None = None
) -> ProblemCase:
    """Link a case to a problem by hand (once; a case is in one problem at most).
    Raises PermissionDeniedError, ConflictError."""
    if not can_manage_problems(actor):
        raise PermissionDeniedError(_("Problems are managed by the quality manager."))
    existing = ProblemCase.objects.filter(case=case).first()
    if existing is not None:
        if existing.problem_id == problem.pk:
            return existing
        raise ConflictError(
            _("This case is already counted in another problem."),
            fields={
                "case_id": [
                    _("Already in problem %(id)s.") % {"id": existing.problem_id}
                ]
            },
        )
    link = ProblemCase.objects.create(
        problem=problem,
        case=case,
        is_automatic=False,
        linked_by=actor,
        linked_at=at or now(),
    )
    audit_record(
        actor=actor,
        action="problem.link_case",
        instance=problem,
        after={"case": case.pk},
    )
    return link


@transaction.atomic
def problem_open(
    *,
    actor: User,
    root_cause: RootCause,
    cases: list[Case],
    title: str = "",
    at: dt.datetime | None = None,
) -> Problem:
    """Open a problem by hand for a root cause the quality manager sees recurring
    (the recurrence check opens most of them by itself), counting ``cases``.
    Raises PermissionDeniedError, ValidationError (no case, a case of another root
    cause), ConflictError (a problem of this root cause is already open, or a case is
    counted in another problem)."""
    if not can_manage_problems(actor):
        raise PermissionDeniedError(_("Problems are managed by the quality manager."))
    if not cases:
        raise ValidationError(
            _("A problem counts at least one case."),
            fields={"case_ids": [_("Required.")]},
        )
    strangers = [
        case.reference for case in cases if case.root_cause_id != root_cause.pk
    ]
    if strangers:
        raise ValidationError(
            _("These cases have another root cause."),
            fields={"case_ids": [", ".join(strangers)]},
        )
    at = at or now()
    ordered = sorted(cases, key=lambda case: (case.opened_at, case.pk))
    language = settings.LANGUAGE_CODE
    with translation.override(language):
        default_title = _("Recurring complaints: %(cause)s") % {
            "cause": root_cause.name_in(language)
        }
    problem = Problem(
        title=(title.strip() or default_title)[:200],
        root_cause=root_cause,
        owner=actor,
        window_start=ordered[0].opened_at,
        window_end=ordered[-1].opened_at,
        threshold=len(ordered),
        opened_at=at,
    )
    try:
        with transaction.atomic():
            problem.save()
    except IntegrityError:
        raise ConflictError(
            _("Another problem of this root cause is open."),
            fields={"root_cause_id": [_("Add the cases to it instead.")]},
        ) from None
    for case in ordered:
        problem_link_case(actor=actor, problem=problem, case=case, at=at)
    audit_record(
        actor=actor,
        action="problem.open",
        instance=problem,
        after={"root_cause": root_cause.pk, "cases": [case.pk for case in ordered]},
    )
    return problem
