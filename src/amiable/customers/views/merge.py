"""The duplicate-customer finder, merging two customers from it and undoing a
merge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.accounts.permissions import can_merge_customers
from amiable.core.access import STAFF, SUPERVISORS, access
from amiable.core.errors import ApplicationError
from amiable.customers.selectors import (
    customer_duplicate_groups,
    customer_get,
    merge_get,
)
from amiable.customers.services import customer_merge, customer_merge_undo
from amiable.web.requests import request_actor


@access(STAFF)
@login_required
@require_GET
def customer_duplicates_view(request: HttpRequest) -> HttpResponse:
    """Customers who are probably the same person, to merge (supervisors)."""
    actor = request_actor(request)
    return render(
        request,
        "customers/duplicates.html",
        {
            "groups": customer_duplicate_groups(actor=actor),
            "can_merge": can_merge_customers(actor),
        },
    )


def _id(request: HttpRequest, name: str) -> int:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else 0


@access(SUPERVISORS)
@login_required
@require_POST
def customer_merge_view(request: HttpRequest) -> HttpResponse:
    """Merge ``source`` into ``target`` (POST), then back to the finder with an undo."""
    actor = request_actor(request)
    if not can_merge_customers(actor):
        raise PermissionDenied(_("Only supervisors can merge customers."))
    try:
        source = customer_get(actor=actor, customer_id=_id(request, "source"))
        target = customer_get(actor=actor, customer_id=_id(request, "target"))
        result = customer_merge(actor=actor, source=source, target=target)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("customers:duplicates")
    messages.success(
        request,
        _("%(source)s was merged into %(target)s.")
        % {"source": source.name, "target": target.name},
    )
    request.session["last_merge_id"] = result.merge.pk
    return redirect("customers:duplicates")


@access(SUPERVISORS)
@login_required
@require_POST
def customer_merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    if not can_merge_customers(actor):
        raise PermissionDenied(_("Only supervisors can merge customers."))
    try:
        customer_merge_undo(actor=actor, merge=merge_get(actor=actor, merge_id=pk))
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("customers:duplicates")
    request.session.pop("last_merge_id", None)
    messages.success(request, _("The merge was undone."))
    return redirect("customers:duplicates")
