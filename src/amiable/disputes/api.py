"""API of the dispute track (its dates, proposals, the mediator's details and the
legal deadlines they start), the cost ledger of a case and the cost report.

A dispute is visible exactly when its case is; others answer 404 like unknown ids.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from amiable.accounts.models import User
from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, Id, PageOut
from amiable.cases.models import Case, CaseCost
from amiable.cases.selectors import CaseCostSummary, case_cost_summary, case_get
from amiable.cases.services import case_cost_add
from amiable.conversations.models import Interaction
from amiable.conversations.schemas import InteractionOut
from amiable.core.access import STAFF, SUPERVISORS, TEAM, access
from amiable.core.clock import now
from amiable.core.errors import NotFoundError, ValidationError
from amiable.core.money import Money
from amiable.disputes import selectors, services
from amiable.disputes.cost_reports import CostFilters, CostReport, cost_report
from amiable.disputes.models import Dispute, LegalDeadline, Mediator
from amiable.disputes.schemas import (
    CostEntryIn,
    CostEntryOut,
    CostGroupOut,
    CostReportOut,
    CostReportQuery,
    CostSummaryOut,
    DeadlineListQuery,
    DeadlineOut,
    DisputeListQuery,
    DisputeOpenIn,
    DisputeOut,
    DisputeSummaryOut,
    DisputeUpdateIn,
    MediatorInfoIn,
    MediatorOut,
    MoneyOut,
    ProposalAnswerIn,
    ProposalIn,
    ProposalOut,
    StoredDeadlineOut,
)

router = Router()


def _money(value: Money) -> MoneyOut:
    return MoneyOut(amount=value.amount, currency=value.currency)


def _costs(summary: CaseCostSummary) -> CostSummaryOut:
    return CostSummaryOut(
        staff_seconds=summary.staff_seconds,
        staff_cost=_money(summary.staff_cost),
        entries=[CostEntryOut.from_orm(entry) for entry in summary.entries],
        totals=[_money(total) for total in summary.totals],
    )


def _summary_fields(dispute: Dispute) -> dict[str, Any]:
    return {
        "id": dispute.pk,
        "case_id": dispute.case_id,
        "case_reference": dispute.case.reference,
        "customer_id": dispute.case.customer_id,
        "stage": dispute.stage,
        "outcome": dispute.outcome,
        "mediator": MediatorOut.from_orm(dispute.mediator)
        if dispute.mediator is not None
        else None,
        "written_complaint_at": dispute.written_complaint_at,
        "referred_at": dispute.referred_at,
        "version": dispute.version,
        "created_at": dispute.created_at,
        "updated_at": dispute.updated_at,
    }


def _dispute_out(actor: User, dispute: Dispute) -> DisputeOut:
    moment = now()
    deadlines = [
        DeadlineOut(
            rule_code=item.code,
            article=item.rule.article,
            title=str(item.rule.title),
            trigger=str(item.rule.trigger),
            bearer=item.rule.bearer.value,
            trigger_key=item.trigger_key,
            triggered_at=item.triggered_at,
            last_day=item.end.last_day if item.end is not None else None,
            due_at=item.due_at,
            was_extended=item.end.was_extended if item.end is not None else False,
            state=item.state(moment).value,
            met_at=item.met_at,
            note=item.note,
        )
        for item in selectors.deadlines_of(dispute)
    ]
    return DisputeOut(
        **_summary_fields(dispute),
        is_consumer=dispute.is_consumer,
        legal_time_zone=dispute.legal_time_zone,
        holiday_subdivision=dispute.holiday_subdivision,
        complaint_failed_at=dispute.complaint_failed_at,
        mediator_info_sent_at=dispute.mediator_info_sent_at,
        file_complete_at=dispute.file_complete_at,
        mediation_agreed_at=dispute.mediation_agreed_at,
        outcome_extended_to=dispute.outcome_extended_to,
        extension_reason=dispute.extension_reason,
        outcome_at=dispute.outcome_at,
        outcome_summary=dispute.outcome_summary,
        deadlines=deadlines,
        proposals=[ProposalOut.from_orm(p) for p in dispute.proposals.all()],
        cost=_costs(case_cost_summary(actor=actor, case=dispute.case)),
    )


def _mediator(mediator_id: int) -> Mediator:
    mediator = selectors.mediator_list(active_only=False).filter(pk=mediator_id).first()
    if mediator is None:
        raise ValidationError(
            _("No such mediator."), fields={"mediator_id": [_("No such mediator.")]}
        )
    return mediator


@router.get("/disputes", response={200: PageOut[DisputeSummaryOut], **ERROR_RESPONSES})
@access(STAFF)
def dispute_list_api(
    request: HttpRequest, params: Query[DisputeListQuery]
) -> dict[str, Any]:
    """Disputes whose case the caller sees, last changed first."""
    queryset = selectors.dispute_list(
        actor=actor_of(request),
        filters=selectors.DisputeFilters(
            stage=params.stage or "",
            mediator_id=params.mediator_id,
            outcome=params.outcome or "",
        ),
    )
    page = page_of(
        queryset,
        ordering=("-updated_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )
    page["items"] = [
        DisputeSummaryOut(**_summary_fields(dispute)) for dispute in page["items"]
    ]
    return page


@router.post("/disputes", response={201: DisputeOut, **ERROR_RESPONSES})
@access(TEAM)
def dispute_open_api(
    request: HttpRequest, payload: DisputeOpenIn
) -> Status[DisputeOut]:
    """Start the dispute track of a case of kind dispute (once; a second call
    returns the existing track)."""
    actor = actor_of(request)
    case = case_get(actor=actor, case_id=payload.case_id)
    dispute = services.dispute_open(
        actor=actor, case=case, written_complaint_at=payload.written_complaint_at
    )
    fresh = selectors.dispute_get(actor=actor, dispute_id=dispute.pk)
    return Status(201, _dispute_out(actor, fresh))


@router.get("/disputes/{dispute_id}", response={200: DisputeOut, **ERROR_RESPONSES})
@access(TEAM)
def dispute_get_api(request: HttpRequest, dispute_id: Id) -> DisputeOut:
    """The dispute with its legal deadlines (rule code, article, due date, state),
    proposals and the case's total cost."""
    actor = actor_of(request)
    return _dispute_out(
        actor, selectors.dispute_get(actor=actor, dispute_id=dispute_id)
    )


@router.patch("/disputes/{dispute_id}", response={200: DisputeOut, **ERROR_RESPONSES})
@access(TEAM)
def dispute_update_api(
    request: HttpRequest, dispute_id: Id, payload: DisputeUpdateIn
) -> DisputeOut:
    """Record or correct dates, the mediator and the outcome; ``version`` is
    required (409 version_conflict when stale)."""
    actor = actor_of(request)
    dispute = selectors.dispute_get(actor=actor, dispute_id=dispute_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    if "mediator_id" in changes:
        mediator_id = changes.pop("mediator_id")
        changes["mediator"] = _mediator(mediator_id) if mediator_id else None
    services.dispute_update(
        actor=actor, dispute=dispute, expected_version=payload.version, **changes
    )
    return _dispute_out(
        actor, selectors.dispute_get(actor=actor, dispute_id=dispute_id)
    )


@router.post(
    "/disputes/{dispute_id}/proposals", response={201: ProposalOut, **ERROR_RESPONSES}
)
@access(TEAM)
def proposal_add_api(
    request: HttpRequest, dispute_id: Id, payload: ProposalIn
) -> Status[Any]:
    """Record our amicable proposal or the mediator's (with its answer date)."""
    actor = actor_of(request)
    dispute = selectors.dispute_get(actor=actor, dispute_id=dispute_id)
    proposal = services.proposal_add(
        actor=actor,
        dispute=dispute,
        made_by=payload.made_by,
        description=payload.description,
        proposed_at=payload.proposed_at,
        amount=Money(payload.amount, payload.currency.upper())
        if payload.amount is not None
        else None,
        respond_by=payload.respond_by,
        expected_version=payload.version,
    )
    return Status(201, proposal)


@router.post(
    "/disputes/{dispute_id}/proposals/{proposal_id}/answer",
    response={200: ProposalOut, **ERROR_RESPONSES},
)
@access(TEAM)
def proposal_answer_api(
    request: HttpRequest, dispute_id: Id, proposal_id: Id, payload: ProposalAnswerIn
) -> Any:
    """Record the answer (once: 409 when already answered)."""
    actor = actor_of(request)
    dispute = selectors.dispute_get(actor=actor, dispute_id=dispute_id)
    return services.proposal_respond(
        actor=actor,
        proposal=selectors.proposal_get(dispute=dispute, proposal_id=proposal_id),
        is_accepted=payload.answer == "accepted",
        responded_at=payload.responded_at or now(),
        note=payload.note,
    )


@router.post(
    "/disputes/{dispute_id}/mediator-info",
    response={201: InteractionOut, **ERROR_RESPONSES},
)
@access(TEAM)
def dispute_mediator_info_api(
    request: HttpRequest, dispute_id: Id, payload: MediatorInfoIn
) -> Status[Interaction]:
    """Email the customer the mediator's name, address and website (L616-1)."""
    actor = actor_of(request)
    dispute = selectors.dispute_get(actor=actor, dispute_id=dispute_id)
    reply = services.dispute_send_mediator_info(
        actor=actor,
        dispute=dispute,
        mediator=_mediator(payload.mediator_id),
        expected_version=payload.version,
    )
    return Status(201, reply)


@router.get("/cases/{case_id}/dispute", response={200: DisputeOut, **ERROR_RESPONSES})
@access(TEAM)
def case_dispute_api(request: HttpRequest, case_id: Id) -> DisputeOut:
    """The dispute track of a case (404 when it has none)."""
    actor = actor_of(request)
    case: Case = case_get(actor=actor, case_id=case_id)
    dispute = selectors.dispute_for_case(actor=actor, case=case)
    if dispute is None:
        raise NotFoundError(_("This case has no dispute track."))
    return _dispute_out(actor, dispute)


@router.get(
    "/legal-deadlines", response={200: PageOut[StoredDeadlineOut], **ERROR_RESPONSES}
)
@access(STAFF)
def deadline_list_api(
    request: HttpRequest, params: Query[DeadlineListQuery]
) -> dict[str, Any]:
    """Legal deadlines of the visible disputes, soonest first."""
    queryset = selectors.deadline_list(
        actor=actor_of(request),
        filters=selectors.DeadlineFilters(
            is_open=params.open_only,
            due_before=params.due_before,
            rule_code=params.rule_code,
        ),
    )
    page = page_of(
        queryset, ordering=("due_at", "id"), limit=params.limit, cursor=params.cursor
    )
    page["items"] = [_stored(row) for row in page["items"]]
    return page


def _stored(row: LegalDeadline) -> StoredDeadlineOut:
    return StoredDeadlineOut(
        id=row.pk,
        dispute_id=row.dispute_id,
        case_id=row.case_id,
        case_reference=row.case.reference,
        rule_code=row.rule_code,
        article=row.article,
        triggered_at=row.triggered_at,
        due_at=row.due_at,
        met_at=row.met_at,
    )


@router.get("/mediators", response={200: list[MediatorOut], **ERROR_RESPONSES})
@access(STAFF)
def mediator_list_api(request: HttpRequest, active_only: bool = True) -> Any:
    """The consumer mediators we are under contract with."""
    actor_of(request)
    return list(selectors.mediator_list(active_only=active_only))


@router.get("/cases/{case_id}/costs", response={200: CostSummaryOut, **ERROR_RESPONSES})
@access(TEAM)
def case_costs_api(request: HttpRequest, case_id: Id) -> CostSummaryOut:
    """The cost ledger of a case: staff time (from the time spent on its
    interactions), every entry and the total per currency."""
    actor = actor_of(request)
    case = case_get(actor=actor, case_id=case_id)
    return _costs(case_cost_summary(actor=actor, case=case))


@router.post("/cases/{case_id}/costs", response={201: CostEntryOut, **ERROR_RESPONSES})
@access(TEAM)
def case_cost_add_api(
    request: HttpRequest, case_id: Id, payload: CostEntryIn
) -> Status[CaseCost]:
    """Add a cost (postage, registered letter, legal or mediator fees, a gesture);
    idempotent per ``source``."""
    actor = actor_of(request)
    case = case_get(actor=actor, case_id=case_id)
    entry = case_cost_add(
        actor=actor,
        case=case,
        kind=payload.kind,
        cost=Money(payload.amount, payload.currency.upper()),
        description=payload.description,
        incurred_at=payload.incurred_at,
        source=payload.source,
    )
    return Status(201, entry)


def _report_out(report: CostReport) -> CostReportOut:
    return CostReportOut(
        group_by=report.filters.dimension.value,
        period=report.filters.granularity.value,
        groups=[
            CostGroupOut(
                key=group.key,
                label=group.label,
                staff_seconds=group.staff_seconds,
                entries=group.entries,
                totals=[_money(total) for total in group.totals],
            )
            for group in report.groups
        ],
        totals=[_money(total) for total in report.totals],
        staff_seconds=report.staff_seconds,
    )


@router.get("/costs/report", response={200: CostReportOut, **ERROR_RESPONSES})
@access(SUPERVISORS)
def cost_report_api(
    request: HttpRequest, params: Query[CostReportQuery]
) -> CostReportOut:
    """Total cost per period, cost kind, case kind, category or team (supervisors:
    their team's cases; quality managers and administrators: all; agents: 403)."""
    if (
        params.date_from is not None
        and params.date_to is not None
        and params.date_to < params.date_from
    ):
        raise ValidationError(
            _("The end date is before the start date."),
            fields={"date_to": [_("Before the start date.")]},
        )
    report = cost_report(
        actor=actor_of(request),
        filters=CostFilters(
            dimension=params.group_by,
            granularity=params.period,
            date_from=params.date_from,
            date_to=params.date_to,
            case_kind=params.case_kind or "",
            team_id=params.team_id,
        ),
    )
    return _report_out(report)
