"""Customer list and customer page.

They live in the interface layer because the customer page gathers several domains
(customers, commerce, conversations, cases) that the customers app may not import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from amiable.cases.selectors import CaseFilters, case_list, customer_360
from amiable.commerce.selectors import order_list, order_with_details
from amiable.conversations.selectors import interaction_list
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.core.pagination import Page, paginate
from amiable.customers.selectors import CustomerFilters, customer_get, customer_list
from amiable.web.requests import request_actor

CUSTOMER_PAGE_SIZE = 25
SECTION_PAGE_SIZE = 10
TIMELINE_PAGE_SIZE = 20
ModelT = TypeVar("ModelT", bound=models.Model)


class CustomerSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    cursor = forms.CharField(required=False, max_length=1000)


def _page(
    queryset: models.QuerySet[ModelT],
    *,
    ordering: Sequence[str],
    limit: int,
    cursor: str | None,
    errors: list[str],
) -> Page[ModelT]:
    """One keyset page; a tampered cursor falls back to the first page."""
    try:
        return paginate(queryset, ordering=ordering, limit=limit, cursor=cursor)
    except ApplicationError as exc:
        errors.append(exc.message)
        return paginate(queryset, ordering=ordering, limit=limit)


@login_required
@require_GET
def customer_list_view(request: HttpRequest) -> HttpResponse:
    """Customers by name, searchable, one keyset page at a time."""
    actor = request_actor(request)
    form = CustomerSearchForm(request.GET)
    form.is_valid()
    text = form.cleaned_data.get("q") or ""
    errors: list[str] = []
    page = _page(
        customer_list(actor=actor, filters=CustomerFilters(text=text)),
        ordering=("name", "id"),
        limit=CUSTOMER_PAGE_SIZE,
        cursor=form.cleaned_data.get("cursor") or None,
        errors=errors,
    )
    context = {"page": page, "q": text, "errors": errors}
    htmx = getattr(request, "htmx", None)
    template = "customers/list.html"
    if htmx and not htmx.boosted and htmx.target == "customer-results":
        template = "customers/list.html#results"
    return render(request, template, context)


@login_required
@require_GET
def customer_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one customer: 360, orders and tracking, cases, timeline."""
    actor = request_actor(request)
    try:
        customer = customer_get(actor=actor, customer_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    errors: list[str] = []
    params = request.GET
    context: dict[str, Any] = {
        "customer": customer,
        "summary": customer_360(actor=actor, customer=customer),
        "addresses": customer.addresses.all(),
        "consent_history": customer.consents.select_related("recorded_by"),
        "orders": _page(
            order_with_details(order_list(actor=actor, customer_id=customer.pk)),
            ordering=("-placed_at", "-id"),
            limit=SECTION_PAGE_SIZE,
            cursor=params.get("orders_cursor"),
            errors=errors,
        ),
        "cases": _page(
            case_list(actor=actor, filters=CaseFilters(customer_id=customer.pk)),
            ordering=("-opened_at", "-id"),
            limit=SECTION_PAGE_SIZE,
            cursor=params.get("cases_cursor"),
            errors=errors,
        ),
        "interactions": _page(
            interaction_list(actor=actor, customer_id=customer.pk),
            ordering=("-occurred_at", "-id"),
            limit=TIMELINE_PAGE_SIZE,
            cursor=params.get("interactions_cursor"),
            errors=errors,
        ),
    }
    context["errors"] = errors
    return render(request, "customers/detail.html", context)
