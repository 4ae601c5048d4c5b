"""The one place the quality app resolves and reopens cases (incidents resolve
all their cases here; a customer's "no" reopens here). Nothing else in this app
changes a case's status.
"""

from __future__ import annotations

from django.db import transaction

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseStatus, RootCause
from amiable.cases.services import (
    case_change_status,
    case_record_inbound,
    case_resolve,
)
from amiable.conversations.models import Channel


@transaction.atomic
def case_resolve_with(
    *,
    actor: User,
    case: Case,
    summary: str,
    root_cause: RootCause | None,
    expected_version: int | None = None,
) -> Case:
    """Resolve ``case`` with a resolution summary and a root cause (its category is
    the case's own). Raises what ``cases.services.case_resolve`` raises: a
    ValidationError naming what is missing, 409 for a status that cannot resolve."""
    return case_resolve(
        actor=actor,
        case=case,
        resolution_summary=summary,
        root_cause=root_cause,
        expected_version=expected_version,
    )


@transaction.atomic
def case_reopen_by_customer(*, case: Case, message: str, external_id: str) -> Case:
    """The customer says the problem is not solved: their words go on the case as an
    inbound message (once per ``external_id``), which reopens a resolved or closed
    case the way any customer reply does."""
    case_record_inbound(
        customer=case.customer,
        case=case,
        channel=Channel.PORTAL,
        subject=f"[{case.reference}] {case.subject}",
        body_text=message,
        external_id=external_id,
    )
    case.refresh_from_db()
    if case.status in {CaseStatus.RESOLVED, CaseStatus.CLOSED}:
        case = case_change_status(actor=None, case=case, status=CaseStatus.OPEN)
    return case
