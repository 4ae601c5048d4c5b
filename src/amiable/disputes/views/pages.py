"""Pages of the disputes app: the dispute list, the legal deadlines to come, and the
cost report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amiable.core.access import STAFF, SUPERVISORS, access
from amiable.core.clock import now
from amiable.core.errors import ApplicationError
from amiable.core.pagination import Page, paginate
from amiable.disputes.cost_reports import (
    DIMENSION_LABELS,
    CostFilters,
    case_cost_totals,
    cost_report,
)
from amiable.disputes.forms import CostReportForm, DisputeListForm
from amiable.disputes.models import Dispute, LegalDeadline
from amiable.disputes.permissions import can_view_cost_reports
from amiable.disputes.rules import RULES, Rule
from amiable.disputes.selectors import (
    DeadlineFilters,
    DisputeFilters,
    deadline_list,
    deadline_overdue_count,
    dispute_list,
    next_deadlines,
)
from amiable.web.requests import request_actor

PAGE_SIZE = 25


@access(STAFF)
@login_required
@require_GET
def dispute_list_view(request: HttpRequest) -> HttpResponse:
    """Disputes the user sees, last changed first, with their next deadline and cost
    (a fixed number of queries per page)."""
    actor = request_actor(request)
    form = DisputeListForm(request.GET)
    form.is_valid()
    data = form.cleaned_data if form.is_valid() else {}
    mediator = data.get("mediator")
    queryset = dispute_list(
        actor=actor,
        filters=DisputeFilters(
            stage=data.get("stage") or "",
            mediator_id=mediator.pk if mediator is not None else None,
        ),
    )
    errors: list[str] = []
    try:
        page: Page[Dispute] = paginate(
            queryset,
            ordering=("-updated_at", "-id"),
            limit=PAGE_SIZE,
            cursor=data.get("cursor") or None,
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(queryset, ordering=("-updated_at", "-id"), limit=PAGE_SIZE)
    ids = [dispute.pk for dispute in page.items]
    upcoming = next_deadlines(ids)
    costs = case_cost_totals([dispute.case_id for dispute in page.items])
    rows = [
        {
            "dispute": dispute,
            "next": upcoming.get(dispute.pk),
            "rule": RULES.get(Rule(upcoming[dispute.pk].rule_code))
            if dispute.pk in upcoming
            else None,
            "costs": costs.get(dispute.case_id, []),
        }
        for dispute in page.items
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "errors": errors,
        "now": now(),
        "can_view_costs": can_view_cost_reports(actor),
    }
    return render(request, "disputes/list.html", context)


@access(STAFF)
@login_required
@require_GET
def deadline_list_view(request: HttpRequest) -> HttpResponse:
    """Legal deadlines not met yet, soonest first (overdue ones on top)."""
    actor = request_actor(request)
    queryset = deadline_list(actor=actor, filters=DeadlineFilters(is_open=True))
    errors: list[str] = []
    cursor = request.GET.get("cursor") or None
    try:
        page: Page[LegalDeadline] = paginate(
            queryset, ordering=("due_at", "id"), limit=PAGE_SIZE, cursor=cursor
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(queryset, ordering=("due_at", "id"), limit=PAGE_SIZE)
    rows = [
        {"deadline": row, "rule": RULES.get(Rule(row.rule_code))} for row in page.items
    ]
    context = {
        "page": page,
        "rows": rows,
        "errors": errors,
        "now": now(),
        "can_view_costs": can_view_cost_reports(actor),
        "overdue_count": deadline_overdue_count(actor=actor),
    }
    return render(request, "disputes/deadlines.html", context)


@access(SUPERVISORS)
@login_required
@require_GET
def cost_report_view(request: HttpRequest) -> HttpResponse:
    """Total cost per period, cost kind, case kind, category or team."""
    actor = request_actor(request)
    if not can_view_cost_reports(actor):
        raise PermissionDenied
    form = CostReportForm(request.GET)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = cost_report(
            actor=actor,
            filters=CostFilters(
                dimension=form.dimension(),
                granularity=form.granularity(),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
                case_kind=data.get("case_kind") or "",
            ),
        )
    status = 200 if report is not None else 422
    context = {
        "form": form,
        "report": report,
        "dimension_label": DIMENSION_LABELS[form.dimension()]
        if report is not None
        else "",
    }
    return render(request, "disputes/costs.html", context, status=status)
