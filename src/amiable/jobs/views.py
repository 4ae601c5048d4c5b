"""The page that follows an import job; refreshes its progress while it runs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amiable.core.access import STAFF, access
from amiable.core.errors import NotFoundError, PermissionDeniedError
from amiable.jobs.registry import import_kind_get
from amiable.jobs.selectors import import_job_get


@access(STAFF)
@login_required
@require_GET
def import_job_detail_view(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = import_job_get(actor=request.user, job_id=job_id)  # type: ignore[arg-type]
    except NotFoundError:
        raise Http404 from None
    except PermissionDeniedError:
        raise PermissionDenied from None
    kind = import_kind_get(job.kind)
    labels = kind.count_labels if kind is not None else {}
    counts = [(labels.get(name, name), value) for name, value in job.counts.items()]
    template = "jobs/import_job.html"
    if getattr(request, "htmx", False):
        template += "#progress"
    return render(
        request,
        template,
        {"job": job, "label": kind.label if kind else job.kind, "counts": counts},
    )
