"""The one place the quality app resolves and reopens cases.

MERGE NOTE for the lead: the lifecycle work (issue 3, items 1–4) adds
``cases.services.case_resolve(...)``, which requires a resolution summary and, for
complaints and disputes, a category and root cause. Switch ``case_resolve_with`` to
it (passing ``summary`` and ``root_cause``) and drop the interim note; switch
``case_reopen_by_customer`` to its reopen service if it counts reopens differently
from ``case_record_inbound``. Nothing else in this app changes a case's status.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseStatus, RootCause
from amiable.cases.services import (
    case_add_note,
    case_change_status,
    case_record_inbound,
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
    """Resolve ``case`` with a resolution summary and a root cause.

    Until ``cases.services.case_resolve`` exists, the status moves with
    ``case_change_status`` and the summary and root cause are kept as an internal
    note on the case (the case's own fields are set by ``case_resolve``).
    Raises what the cases services raise (409 for a transition not allowed)."""
    resolved = case_change_status(
        actor=actor,
        case=case,
        status=CaseStatus.RESOLVED,
        expected_version=expected_version,
    )
    lines = [summary.strip()] if summary.strip() else []
    if root_cause is not None:
        lines.append(
            _("Root cause: %(cause)s")
            % {"cause": root_cause.name_in(translation.get_language() or "fr")}
        )
    if lines:
        case_add_note(actor=actor, case=resolved, body_text="\n".join(lines))
        resolved.refresh_from_db()
    return resolved


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
