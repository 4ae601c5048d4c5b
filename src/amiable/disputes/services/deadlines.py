"""Keeping a dispute's stored legal deadlines in step with its dates, and telling
the other apps (``legal_deadline.started`` / ``.changed`` / ``.met``)."""

from __future__ import annotations

import datetime as dt

from amiable.accounts.models import User
from amiable.disputes.deadlines import ComputedDeadline, dispute_deadlines
from amiable.disputes.models import Dispute, LegalDeadline, Proposal
from amiable.events.catalogue import (
    LegalDeadlineChanged,
    LegalDeadlineMet,
    LegalDeadlineStarted,
)
from amiable.events.services import event_emit

Key = tuple[str, str]


def _started(
    dispute: Dispute, item: ComputedDeadline, due_at: dt.datetime, actor: User | None
) -> None:
    event_emit(
        LegalDeadlineStarted(
            rule_code=item.code,
            article=item.rule.article,
            customer_id=dispute.case.customer_id,
            case_id=dispute.case_id,
            order_id=None,
            triggered_at=item.triggered_at.astimezone(dt.UTC),
            due_at=due_at.astimezone(dt.UTC),
            bearer=str(item.rule.bearer),
        ),
        actor=actor,
    )


def _changed(
    dispute: Dispute,
    row: LegalDeadline,
    due_at: dt.datetime | None,
    reason: str,
    actor: User | None,
) -> None:
    event_emit(
        LegalDeadlineChanged(
            rule_code=row.rule_code,
            article=row.article,
            customer_id=dispute.case.customer_id,
            case_id=dispute.case_id,
            order_id=None,
            previous_due_at=row.due_at.astimezone(dt.UTC),
            due_at=due_at.astimezone(dt.UTC) if due_at is not None else None,
            reason=reason,
        ),
        actor=actor,
    )


def _met(dispute: Dispute, row: LegalDeadline, actor: User | None) -> None:
    assert row.met_at is not None  # noqa: S101 - called once it is met
    event_emit(
        LegalDeadlineMet(
            rule_code=row.rule_code,
            customer_id=dispute.case.customer_id,
            case_id=dispute.case_id,
            order_id=None,
            due_at=row.due_at.astimezone(dt.UTC),
            met_at=row.met_at.astimezone(dt.UTC),
        ),
        actor=actor,
    )


def deadlines_sync(*, actor: User | None, dispute: Dispute) -> list[ComputedDeadline]:
    """Store the dispute's deadlines that have a due time, and emit one event per
    deadline that started, moved (its due time changed), was cancelled or was met.
    A trigger corrected within the same local day moves nothing and emits nothing.
    Idempotent: a second call with the same dates writes and emits nothing. Call
    inside the service's transaction; returns every computed deadline (suspensions
    included)."""
    computed = dispute_deadlines(dispute, Proposal.objects.filter(dispute=dispute))
    wanted: dict[Key, ComputedDeadline] = {
        (item.code, item.trigger_key): item
        for item in computed
        if item.due_at is not None
    }
    stored: dict[Key, LegalDeadline] = {
        (row.rule_code, row.trigger_key): row
        for row in LegalDeadline.objects.filter(dispute=dispute)
    }
    for key, item in wanted.items():
        due_at = item.due_at
        assert due_at is not None  # noqa: S101 - filtered above
        row = stored.get(key)
        if row is None:
            row = LegalDeadline.objects.create(
                dispute=dispute,
                case_id=dispute.case_id,
                rule_code=item.code,
                trigger_key=item.trigger_key,
                article=item.rule.article,
                triggered_at=item.triggered_at,
                due_at=due_at,
                met_at=item.met_at,
            )
            _started(dispute, item, due_at, actor)
            if row.met_at is not None:
                _met(dispute, row, actor)
            continue
        was_met = row.met_at is not None
        moved = row.due_at != due_at
        if not moved and (row.triggered_at, row.met_at) == (
            item.triggered_at,
            item.met_at,
        ):
            continue
        if moved:
            # A trigger moved to another day, or the due date itself (extension).
            reason = (
                "corrected" if row.triggered_at != item.triggered_at else "extended"
            )
            _changed(dispute, row, due_at, reason, actor)
            row.due_at = due_at
        row.triggered_at = item.triggered_at
        row.met_at = item.met_at
        row.save(update_fields=["due_at", "triggered_at", "met_at", "updated_at"])
        if row.met_at is not None and not was_met:
            _met(dispute, row, actor)
    for key, row in stored.items():
        if key not in wanted:
            _changed(dispute, row, None, "cancelled", actor)
            row.delete()
    return computed
