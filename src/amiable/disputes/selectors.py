"""Scoped reads of disputes, their deadlines and the mediators. A dispute is visible
exactly when its case is (``cases.selectors.case_visible_queryset``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors import case_visible_queryset
from amiable.core.clock import now
from amiable.core.errors import NotFoundError
from amiable.disputes.deadlines import ComputedDeadline, dispute_deadlines
from amiable.disputes.models import Dispute, LegalDeadline, Mediator, Proposal
from amiable.disputes.rules import RULES, Bearer


@dataclass(frozen=True)
class DisputeFilters:
    stage: str = ""
    mediator_id: int | None = None
    outcome: str = ""


def dispute_visible_queryset(*, actor: User) -> QuerySet[Dispute]:
    return Dispute.objects.filter(case__in=case_visible_queryset(actor=actor))


def _with_related(queryset: QuerySet[Dispute]) -> QuerySet[Dispute]:
    return queryset.select_related(
        "case", "case__customer", "case__team", "case__assignee", "mediator"
    ).prefetch_related(
        Prefetch("proposals", queryset=Proposal.objects.order_by("proposed_at", "id"))
    )


def dispute_get(*, actor: User, dispute_id: int) -> Dispute:
    """One visible dispute with its case, customer, mediator and proposals.
    Raises NotFoundError (also for a dispute the actor may not see)."""
    dispute = (
        _with_related(dispute_visible_queryset(actor=actor))
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise NotFoundError(_("No such dispute."))
    return dispute


def dispute_for_case(*, actor: User, case: Case) -> Dispute | None:
    """The dispute track of a case the actor sees (None when it has none)."""
    return (
        _with_related(dispute_visible_queryset(actor=actor)).filter(case=case).first()
    )


def proposal_get(*, dispute: Dispute, proposal_id: int) -> Proposal:
    """A proposal of a dispute already fetched through a scoped selector."""
    proposal = Proposal.objects.filter(dispute=dispute, pk=proposal_id).first()
    if proposal is None:
        raise NotFoundError(_("No such proposal."))
    return proposal


def dispute_list(*, actor: User, filters: DisputeFilters) -> QuerySet[Dispute]:
    queryset = dispute_visible_queryset(actor=actor).select_related(
        "case", "case__customer", "case__team", "mediator"
    )
    if filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    if filters.mediator_id is not None:
        queryset = queryset.filter(mediator_id=filters.mediator_id)
    if filters.outcome:
        queryset = queryset.filter(outcome=filters.outcome)
    return queryset


def deadlines_of(dispute: Dispute) -> list[ComputedDeadline]:
    """The dispute's deadlines from its loaded proposals (no query when prefetched)."""
    return dispute_deadlines(dispute, dispute.proposals.all())


@dataclass(frozen=True)
class DeadlineFilters:
    is_open: bool = True
    due_before: dt.datetime | None = None
    rule_code: str = ""


def deadline_list(*, actor: User, filters: DeadlineFilters) -> QuerySet[LegalDeadline]:
    """Stored legal deadlines of the disputes the actor sees, soonest first."""
    queryset = LegalDeadline.objects.filter(
        case__in=case_visible_queryset(actor=actor)
    ).select_related("case", "case__customer", "dispute")
    if filters.is_open:
        queryset = queryset.filter(met_at__isnull=True)
    if filters.due_before is not None:
        queryset = queryset.filter(due_at__lt=filters.due_before)
    if filters.rule_code:
        queryset = queryset.filter(rule_code=filters.rule_code)
    return queryset


def deadline_overdue_count(*, actor: User) -> int:
    """Deadlines we had to meet that passed without it (the navigation badge)."""
    ours = [
        str(rule.code) for rule in RULES.values() if rule.bearer == Bearer.PROFESSIONAL
    ]
    return (
        LegalDeadline.objects.filter(
            case__in=case_visible_queryset(actor=actor),
            met_at__isnull=True,
            due_at__lt=now(),
            rule_code__in=ours,
        )
        .order_by()
        .count()
    )


def mediator_list(*, active_only: bool = True) -> QuerySet[Mediator]:
    queryset = Mediator.objects.all()
    return queryset.filter(is_active=True) if active_only else queryset


def next_deadlines(dispute_ids: list[int]) -> dict[int, LegalDeadline]:
    """The soonest deadline not met yet of each dispute (one query)."""
    found: dict[int, LegalDeadline] = {}
    rows = LegalDeadline.objects.filter(
        dispute_id__in=dispute_ids, met_at__isnull=True
    ).order_by("due_at", "id")
    for row in rows:
        found.setdefault(row.dispute_id, row)
    return found
