"""Moving a case through its statuses."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.cases.errors import CaseTransitionError
from amiable.cases.lifecycle import allowed_next, is_allowed
from amiable.cases.models import (
    Case,
    CaseStatus,
)
from amiable.cases.services.versioning import (
    CASE_AUDITED_FIELDS,
    _lock,
    _write,
)
from amiable.core.clock import now
from amiable.core.errors import ValidationError


@transaction.atomic
def case_change_status(
    *, actor: User | None, case: Case, status: str, expected_version: int | None = None
) -> Case:
    """Move a case to ``status``; raise CaseTransitionError (409) if not allowed."""
    if status not in CaseStatus.values:
        raise ValidationError(_("Unknown status."), fields={"status": [_("Unknown.")]})
    case = _lock(case, expected_version=expected_version)
    if status == case.status:
        return case
    if not is_allowed(case.status, status):
        raise CaseTransitionError(
            _("A case cannot go from %(current)s to %(target)s.")
            % {
                "current": case.get_status_display(),
                "target": CaseStatus(status).label,
            },
            fields={
                "status": [
                    _("Allowed: %(allowed)s")
                    % {"allowed": ", ".join(allowed_next(case.status))}
                ]
            },
            extra={"allowed": allowed_next(case.status)},
        )
    stamp = now()
    changes: dict[str, Any] = {"status": status, "last_activity_at": stamp}
    if status == CaseStatus.RESOLVED:
        changes["resolved_at"] = stamp
    elif status == CaseStatus.CLOSED:
        changes["closed_at"] = stamp
        if case.resolved_at is None:
            changes["resolved_at"] = stamp
    elif case.status in {CaseStatus.RESOLVED, CaseStatus.CLOSED}:
        changes["resolved_at"] = None
        changes["closed_at"] = None
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
