"""The customer list and the customer page. Sections from higher apps (orders,
cases, timeline, promises, gestures…) are panels they register
(``amiable.core.panels``): this app reads only its own tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from amiable.core.access import STAFF, access
from amiable.core.errors import NotFoundError
from amiable.core.pagination import paginate_or_first
from amiable.customers.forms import (
    AddressForm,
    ConsentForm,
    CustomerSearchForm,
    IdentityForm,
)
from amiable.customers.models import Customer
from amiable.customers.selectors import CustomerFilters, customer_get, customer_list
from amiable.web.requests import request_actor

CUSTOMER_PAGE_SIZE = 25


@access(STAFF)
@login_required
@require_GET
def customer_list_view(request: HttpRequest) -> HttpResponse:
    """Customers by name, searchable, one keyset page at a time."""
    actor = request_actor(request)
    form = CustomerSearchForm(request.GET)
    form.is_valid()
    text = form.cleaned_data.get("q") or ""
    page, error = paginate_or_first(
        customer_list(actor=actor, filters=CustomerFilters(text=text)),
        ordering=("name", "id"),
        limit=CUSTOMER_PAGE_SIZE,
        cursor=form.cleaned_data.get("cursor") or None,
    )
    context = {"page": page, "q": text, "errors": [error] if error else []}
    htmx = getattr(request, "htmx", None)
    template = "customers/list.html"
    if htmx and not htmx.boosted and htmx.target == "customer-results":
        template = "customers/list.html#results"
    return render(request, template, context)


def customer_or_404(request: HttpRequest, pk: int) -> Customer:
    try:
        return customer_get(actor=request_actor(request), customer_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def customer_page(
    request: HttpRequest,
    customer: Customer,
    *,
    forms: dict[str, object] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The customer page, with the given bound forms (re-rendered with errors)."""
    context: dict[str, object] = {
        "customer": customer,
        "identities": customer.identities.order_by("kind", "-is_primary", "id"),
        "addresses": customer.addresses.all(),
        "consent_history": customer.consents.select_related("recorded_by"),
        "identity_form": IdentityForm(),
        "address_form": AddressForm(initial={"country": "FR"}),
        "consent_form": ConsentForm(),
        **(forms or {}),
    }
    return render(request, "customers/detail.html", context, status=status)


@access(STAFF)
@login_required
@require_GET
def customer_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything about one customer: identities, addresses, consents, and the
    panels of the other apps (orders and tracking, cases, timeline, 360)."""
    return customer_page(request, customer_or_404(request, pk))
