"""The first-contact resolution page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amiable.core.access import SUPERVISORS, access
from amiable.quality.forms import FcrForm
from amiable.quality.selectors import FcrDimension, FcrFilters, fcr_report
from amiable.quality.views.common import quality_staff


@access(SUPERVISORS)
@login_required
@require_GET
def fcr_view(request: HttpRequest) -> HttpResponse:
    actor = quality_staff(request)
    form = FcrForm(request.GET)
    report = None
    if form.is_valid():
        data = form.cleaned_data
        report = fcr_report(
            actor=actor,
            filters=FcrFilters(
                dimension=FcrDimension(data.get("dimension") or FcrDimension.OVERALL),
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            ),
        )
    status = 200 if report is not None else 422
    return render(
        request, "quality/fcr.html", {"form": form, "report": report}, status=status
    )
