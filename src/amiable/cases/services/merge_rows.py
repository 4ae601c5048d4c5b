"""The moving parts shared by merging and splitting cases: re-pointing the rows
linked to a case, closing a merged case and restoring it exactly on undo, and the
activity line each side gets on its timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import F

from amiable.accounts.models import User
from amiable.cases.models import (
    Case,
    CaseStatus,
    SlaClock,
    SlaClockState,
    SlaPause,
)
from amiable.cases.services.sla_clocks import sla_refresh
from amiable.cases.services.versioning import _write
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import interaction_record
from amiable.core.clock import now
from amiable.events.catalogue import CaseStatusChanged
from amiable.events.services import event_emit

# What follows a merged case into the target, by model label and field: its
# messages (their attachments with them), promises, gestures and costs. Named by
# label, not imported: the apps above cases (promises, gestures) own these
# models. What stays: its SLA clocks, escalations, surveys, reviews, disputes.
MOVED_LINKS: tuple[tuple[str, str], ...] = (
    ("conversations.interaction", "case"),
    ("promises.promise", "case"),
    ("gestures.gesture", "case"),
    ("cases.casecost", "case"),
)
CLOCK_FIELDS = (
    "state",
    "due_at",
    "risk_at",
    "breached_at",
    "stopped_at",
    "elapsed_seconds",
)


def rows_move(*, source_id: int, target_id: int) -> dict[str, list[int]]:
    """Re-point every linked row of case ``source_id`` to ``target_id``; return
    the ids moved per model label (only labels that moved something)."""
    moved: dict[str, list[int]] = {}
    for label, field_name in MOVED_LINKS:
        model = apps.get_model(label)
        queryset = model._default_manager.filter(**{field_name: source_id})
        ids = sorted(queryset.values_list("pk", flat=True))
        if ids:
            queryset.update(**{field_name: target_id})
            moved[label] = ids
    return moved


def rows_move_back(
    *, moved: dict[str, list[int]], from_id: int, to_id: int
) -> dict[str, int]:
    """Put back the rows a merge moved that are still on ``from_id``; return the
    count per label."""
    counts: dict[str, int] = {}
    fields = dict(MOVED_LINKS)
    for label, ids in moved.items():
        field_name = fields[label]
        model = apps.get_model(label)
        counts[label] = model._default_manager.filter(
            pk__in=ids, **{field_name: from_id}
        ).update(**{field_name: to_id})
    return counts


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def case_close_merged(*, actor: User, case: Case) -> dict[str, Any]:
    """Close a locked case that was merged (its clocks stop, its waiting pause
    ends, ``case.status_changed`` is emitted); return its state before, for
    ``case_restore_unmerged``. No lifecycle check: the case is not finished,
    it lives on in the target."""
    clocks = SlaClock.objects.filter(case=case).exclude(state=SlaClockState.STOPPED)
    state: dict[str, Any] = {
        "status": case.status,
        "resolved_at": _iso(case.resolved_at),
        "closed_at": _iso(case.closed_at),
        "clocks": {
            str(clock.pk): {
                name: _iso(value) if isinstance(value, dt.datetime) else value
                for name in CLOCK_FIELDS
                for value in [getattr(clock, name)]
            }
            for clock in clocks
        },
        "pauses": list(
            SlaPause.objects.filter(case=case, ended_at__isnull=True).values_list(
                "pk", flat=True
            )
        ),
    }
    if case.status != CaseStatus.CLOSED:
        stamp = now()
        changes: dict[str, Any] = {
            "status": CaseStatus.CLOSED,
            "closed_at": stamp,
            "last_activity_at": stamp,
        }
        if case.resolved_at is None:
            changes["resolved_at"] = stamp
        known = SlaPause.objects.filter(case=case).values_list("pk", flat=True)
        before = set(known)
        _write(
            case, expected_version=None, changes=changes, actor=actor, is_locked=True
        )
        # The pause the closing started (reason "resolved"): gone on undo.
        state["new_pauses"] = sorted(set(known.all()) - before)
    return state


def case_restore_unmerged(*, actor: User, case: Case, state: dict[str, Any]) -> None:
    """Give a locked case back the status, times, SLA clocks and pauses it had
    before ``case_close_merged`` (the clocks resume as if never stopped)."""
    previous = case.status
    stamp = now()
    Case.objects.filter(pk=case.pk).update(
        status=state["status"],
        resolved_at=_when(state["resolved_at"]),
        closed_at=_when(state["closed_at"]),
        last_activity_at=stamp,
        updated_at=stamp,
        version=F("version") + 1,
    )
    for clock_id, fields in state["clocks"].items():
        SlaClock.objects.filter(pk=int(clock_id), case=case).update(
            **{
                name: _when(value) if name.endswith("_at") else value
                for name, value in fields.items()
            }
        )
    SlaPause.objects.filter(pk__in=state.get("new_pauses", []), case=case).delete()
    SlaPause.objects.filter(pk__in=state["pauses"], case=case).update(ended_at=None)
    case.refresh_from_db()
    sla_refresh(case=case, at=stamp)
    # Back to resolved: the resolution was announced once (the customer was
    # asked whether it is solved); announcing it again would ask twice.
    if case.status not in {previous, CaseStatus.RESOLVED}:
        event_emit(
            CaseStatusChanged(
                case_id=case.pk,
                customer_id=case.customer_id,
                kind=case.kind,
                previous_status=previous,
                status=case.status,
                changed_at=stamp,
            ),
            actor=actor,
        )


def timeline_line(
    *, actor: User, case: Case, text: str, metadata: dict[str, Any]
) -> None:
    """An activity line on the case's timeline (internal, never sent)."""
    interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=Channel.SYSTEM,
        direction=Direction.INTERNAL,
        body_text=text,
        metadata=metadata,
    )
