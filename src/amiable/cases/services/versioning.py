"""Shared machinery of the case services: audited fields, row locks, optimistic
version checks, and the « someone replied meanwhile » check of replies."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from amiable.cases.errors import CaseRepliedMeanwhileError, CaseVersionConflictError
from amiable.cases.lifecycle import is_reopen
from amiable.cases.models import (
    Case,
    CaseKind,
    CasePriority,
)
from amiable.cases.selectors.live import case_replies_since
from amiable.cases.services.sla_clocks import sla_on_status_change
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.events.catalogue import CaseStatusChanged
from amiable.events.services import event_emit

if TYPE_CHECKING:
    from amiable.accounts.models import User

CASE_AUDITED_FIELDS = [
    "subject",
    "kind",
    "category",
    "priority",
    "status",
    "assignee",
    "team",
    "resolution_summary",
    "root_cause",
    "reopened_count",
    "version",
]


def _validate_choices(*, kind: str | None = None, priority: str | None = None) -> None:
    errors: dict[str, list[str]] = {}
    if kind is not None and kind not in CaseKind.values:
        errors["kind"] = [_("Unknown kind.")]
    if priority is not None and priority not in CasePriority.values:
        errors["priority"] = [_("Unknown priority.")]
    if errors:
        raise ValidationError(_("The case is not valid."), fields=errors)


def _write(
    case: Case,
    *,
    expected_version: int | None,
    changes: dict[str, Any],
    actor: User | None = None,
    is_locked: bool = False,
) -> Case:
    """Apply ``changes`` and bump the version atomically; raise on a stale version.
    A case ``is_locked`` (read by ``_lock`` in this transaction) takes the changes
    in memory; any other is read again after the update.

    A change of status emits ``case.status_changed`` (by ``actor``), pauses, resumes
    or stops the SLA clocks, and, when it leaves ``resolved`` or ``closed`` for
    work, counts a reopen and clears the resolution and closing times."""
    previous_status = case.status
    if "status" in changes and is_reopen(previous_status, changes["status"]):
        changes = {
            **changes,
            "reopened_count": F("reopened_count") + 1,
            "resolved_at": None,
            "closed_at": None,
        }
    queryset = Case.objects.filter(pk=case.pk)
    if expected_version is not None:
        queryset = queryset.filter(version=expected_version)
    stamp = now()
    updated = queryset.update(version=F("version") + 1, updated_at=stamp, **changes)
    if updated == 0:
        current = (
            Case.objects.filter(pk=case.pk).values_list("version", flat=True).first()
        )
        raise _version_conflict(expected_version, current)
    if is_locked:
        _set_written(case, changes, stamp)
    else:
        case.refresh_from_db()
    if "status" in changes and case.status != previous_status:
        sla_on_status_change(
            case=case, previous=previous_status, status=case.status, at=now()
        )
        event_emit(
            CaseStatusChanged(
                case_id=case.pk,
                customer_id=case.customer_id,
                kind=case.kind,
                previous_status=previous_status,
                status=case.status,
                changed_at=case.last_activity_at,
            ),
            actor=actor,
        )
    return case


def _set_written(case: Case, changes: dict[str, Any], stamp: dt.datetime) -> None:
    """What the update stored, on the locked copy (no second read)."""
    case.version += 1
    case.updated_at = stamp
    for name, value in changes.items():
        if name == "reopened_count":  # the F() increment built by _write
            case.reopened_count += 1
        else:
            setattr(case, name, value)


def _version_conflict(
    expected_version: int | None, current: int | None
) -> CaseVersionConflictError:
    return CaseVersionConflictError(
        _("Someone else changed this case meanwhile. Reload it and try again."),
        fields={
            "version": [
                _("Expected %(expected)s, current is %(current)s.")
                % {"expected": expected_version, "current": current}
            ]
        },
        extra={"current_version": current},
    )


def _lock(
    case: Case, *, expected_version: int | None = None, is_locked: bool = False
) -> Case:
    """Re-read ``case`` under a row lock, so rules (allowed transitions, first
    response, reopening) run on its stored state, not on a stale copy; raise
    CaseVersionConflictError at once when ``expected_version`` is stale.

    ``is_locked``: the caller read ``case`` in this transaction under its row
    lock (``FOR UPDATE``, or SQLite's write lock): that copy is the stored state
    and is not read again."""
    if not is_locked:
        case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    if expected_version is not None and case.version != expected_version:
        raise _version_conflict(expected_version, case.version)
    return case


def reply_meanwhile_check(*, case: Case, seen_through: int, actor: User) -> None:
    """Raise CaseRepliedMeanwhileError when someone other than ``actor`` replied
    to the customer after interaction ``seen_through`` (the latest the agent's
    page showed). Internal notes, activity and forwards do not count; call it
    under the case's row lock (``_lock``) so a concurrent reply is seen."""
    replies = list(case_replies_since(case=case, after_id=seen_through, actor=actor))
    if not replies:
        return
    names = sorted(
        {
            reply.author.display_name if reply.author else _("Someone")
            for reply in replies
        }
    )
    latest = replies[-1]
    message = _(
        "%(names)s replied to the customer while you were writing "
        "(%(time)s). Read it, then send yours anyway or change it."
    ) % {
        "names": ", ".join(names),
        "time": date_format(localtime(latest.occurred_at), "TIME_FORMAT"),
    }
    raise CaseRepliedMeanwhileError(
        message,
        fields={"send_anyway": [message]},
        extra={"latest_reply_id": latest.pk, "replied_by": names},
    )
