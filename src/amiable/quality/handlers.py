"""Reactions of the quality app to case events."""

from __future__ import annotations

from amiable.cases.models import Case, CaseStatus
from amiable.events.catalogue import CaseStatusChanged
from amiable.events.registry import event_handler
from amiable.quality.services import (
    confirmation_request,
    confirmations_supersede,
    recurrence_check,
)
from amiable.quality.services.recurrence import COUNTED_KINDS

CLOSING = {CaseStatus.RESOLVED, CaseStatus.CLOSED}


def _resolved_or_reopened(event: CaseStatusChanged) -> bool:
    return event.status == CaseStatus.RESOLVED or (
        event.previous_status in CLOSING and event.status not in CLOSING
    )


@event_handler(CaseStatusChanged, when=_resolved_or_reopened)
def confirmation_on_case_resolved(event: CaseStatusChanged) -> None:
    """Resolved: ask the customer "Is your problem solved?"; reopened: the links
    still waiting stop asking."""
    if event.status == CaseStatus.RESOLVED:
        confirmation_request(case_id=event.case_id, resolved_at=event.changed_at)
    elif event.previous_status in CLOSING and event.status not in CLOSING:
        confirmations_supersede(case_id=event.case_id)


@event_handler(
    CaseStatusChanged,
    when=lambda event: (
        event.status == CaseStatus.RESOLVED and event.kind in COUNTED_KINDS
    ),
)
def recurrence_on_case_resolved(event: CaseStatusChanged) -> None:
    """A complaint resolved with a root cause counts towards a problem."""
    if event.status != CaseStatus.RESOLVED or event.kind not in COUNTED_KINDS:
        return
    root_cause_id = (
        Case.objects.filter(pk=event.case_id)
        .values_list("root_cause_id", flat=True)
        .first()
    )
    if root_cause_id is not None:
        recurrence_check(root_cause_id=root_cause_id)
