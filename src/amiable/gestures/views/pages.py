"""Budgets, spend reports, the CSV export and price-protection campaigns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amiable.core.access import STAFF, SUPERVISORS, access
from amiable.core.clock import now
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.gestures.export import csv_lines
from amiable.gestures.forms import CampaignDecisionForm, ReportForm
from amiable.gestures.models import CampaignStatus
from amiable.gestures.selectors import (
    SpendDimension,
    budget_list,
    budget_month,
    campaign_get,
    campaign_list,
    compensation_list,
    gesture_export_rows,
    gesture_spend,
)
from amiable.gestures.services import campaign_approve, campaign_reject
from amiable.gestures.views.common import reports_actor
from amiable.web.requests import request_actor


@access(STAFF)
@login_required
@require_GET
def budget_list_view(request: HttpRequest) -> HttpResponse:
    """This month's budgets with their live consumption."""
    actor = request_actor(request)
    month = budget_month(now())
    budgets = list(budget_list(actor=actor, month=month))
    return render(
        request, "gestures/budgets.html", {"budgets": budgets, "month": month}
    )


@access(SUPERVISORS)
@login_required
@require_GET
def report_view(request: HttpRequest) -> HttpResponse:
    """Gesture spend per reason, category, team, agent or type."""
    actor = reports_actor(request)
    form = ReportForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    dimension = SpendDimension(data.get("dimension") or SpendDimension.REASON)
    rows = gesture_spend(
        actor=actor,
        dimension=dimension,
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
    )
    return render(
        request,
        "gestures/reports.html",
        {"form": form, "rows": rows, "dimension": dimension},
    )


@access(SUPERVISORS)
@login_required
@require_GET
def gesture_export_view(request: HttpRequest) -> StreamingHttpResponse:
    """Applied gestures as CSV for the shop or ERP (supervisors and above)."""
    actor = reports_actor(request)
    form = ReportForm(request.GET)
    form.is_valid()
    rows = gesture_export_rows(
        actor=actor,
        date_from=form.cleaned_data.get("date_from"),
        date_to=form.cleaned_data.get("date_to"),
    )
    response = StreamingHttpResponse(
        csv_lines(rows.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="gestures.csv"'
    return response


@access(SUPERVISORS)
@login_required
@require_GET
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    actor = reports_actor(request)
    campaigns = list(campaign_list(actor=actor)[:100])
    return render(request, "gestures/campaigns.html", {"campaigns": campaigns})


@access(SUPERVISORS)
@login_required
@require_http_methods(["GET", "POST"])
def campaign_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign's compensations; a supervisor approves them in bulk (all, or
    the ticked ones) or rejects the campaign with a reason."""
    actor = reports_actor(request)
    try:
        campaign = campaign_get(actor=actor, campaign_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    compensations = list(compensation_list(campaign=campaign))
    ids = [item.pk for item in compensations]
    status = 200
    if request.method == "POST":
        form = CampaignDecisionForm(request.POST, compensation_ids=ids)
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["decision"] == "approve":
                    gestures = campaign_approve(
                        actor=actor,
                        campaign=campaign,
                        compensation_ids=data["compensations"] or None,
                    )
                    messages.success(
                        request,
                        _("%(count)d vouchers applied.") % {"count": len(gestures)},
                    )
                else:
                    campaign_reject(
                        actor=actor, campaign=campaign, reason=data["reason"]
                    )
                    messages.success(request, _("Campaign rejected."))
            except ApplicationError as exc:
                status = exc.status
                form.add_error(None, exc.message)
                for field, errors in exc.fields.items():
                    if field in form.fields:
                        form.add_error(field, errors)
            else:
                return redirect("gestures:campaign", pk=pk)
    else:
        form = CampaignDecisionForm(compensation_ids=ids)
    context = {
        "campaign": campaign,
        "compensations": compensations,
        "form": form,
        "is_open": campaign.status == CampaignStatus.PROPOSED,
    }
    return render(request, "gestures/campaign.html", context, status=status)
