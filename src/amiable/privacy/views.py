"""Staff pages of personal data: ask for an export or an erasure from the customer
page, the register of requests, and the download of an export (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.core.access import SUPERVISORS, access
from amiable.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from amiable.core.pagination import paginate_or_first
from amiable.customers.models import Customer
from amiable.privacy.downloads import archive_response
from amiable.privacy.models import RequestKind, RequestStatus
from amiable.privacy.selectors import data_request_get, data_request_list
from amiable.privacy.services import data_request_archive_opened, data_request_create
from amiable.web.requests import request_actor

PAGE_SIZE = 50


@access(SUPERVISORS)
@login_required
@require_POST
def customer_request_view(request: HttpRequest, customer_id: int) -> HttpResponse:
    actor = request_actor(request)
    customer = get_object_or_404(Customer, pk=customer_id)
    kind = request.POST.get("kind", "")
    if kind == RequestKind.ERASURE and request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("customers:detail", pk=customer.pk)
    try:
        data_request_create(actor=actor, customer=customer, kind=kind)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("customers:detail", pk=customer.pk)
    messages.success(
        request,
        _("Erasure started: the customer will be anonymised in a few moments.")
        if kind == RequestKind.ERASURE
        else _("Export started: the download link appears here when it is ready."),
    )
    return redirect("customers:detail", pk=customer.pk)


@access(SUPERVISORS)
@login_required
@require_GET
def data_request_list_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "")
    kind = kind if kind in RequestKind.values else ""
    status = status if status in RequestStatus.values else ""
    try:
        rows = data_request_list(actor=actor, kind=kind, status=status)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    page, error = paginate_or_first(
        rows,
        ordering=("-requested_at", "-id"),
        limit=PAGE_SIZE,
        cursor=request.GET.get("cursor") or None,
    )
    if error:
        messages.error(request, error)
    return render(
        request,
        "privacy/list.html",
        {
            "page": page,
            "kind": kind,
            "status": status,
            "kinds": RequestKind.choices,
            "statuses": RequestStatus.choices,
        },
    )


@access(SUPERVISORS)
@login_required
@require_GET
def data_request_archive_view(request: HttpRequest, pk: int) -> FileResponse:
    actor = request_actor(request)
    try:
        data_request = data_request_get(actor=actor, request_id=pk)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    response = archive_response(data_request)
    data_request_archive_opened(actor=actor, request=data_request)
    return response
