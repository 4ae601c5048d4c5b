"""Creating and editing customers from the staff pages: the customer's fields,
identities, addresses and consents, each through its service (which audits it).
A refused form is shown again with its messages and the agent's input."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amiable.core.errors import ApplicationError
from amiable.customers.forms import (
    IDENTITY_FIELDS,
    AddressForm,
    ConsentForm,
    CustomerCreateForm,
    CustomerForm,
    IdentityForm,
)
from amiable.customers.selectors import identity_get
from amiable.customers.services import (
    address_add,
    consent_record,
    customer_register,
    customer_update,
    identity_add,
    identity_remove,
)
from amiable.customers.views.pages import customer_or_404, customer_page
from amiable.web.requests import form_apply_error, request_actor

INVALID = 422


@login_required
@require_http_methods(["GET", "POST"])
def customer_create_view(request: HttpRequest) -> HttpResponse:
    """A new customer with an email, a phone and an address if known."""
    form = CustomerCreateForm(request.POST or None, initial={"country": "FR"})
    if request.method == "POST" and form.is_valid():
        try:
            customer = customer_register(
                actor=request_actor(request),
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
                company_name=form.cleaned_data["company_name"],
                preferred_language=form.cleaned_data["preferred_language"],
                notes=form.cleaned_data["notes"],
                identities=form.identities(),
                address=form.address(),
            )
        except ApplicationError as exc:
            form_apply_error(form, exc, value_field_by_kind=IDENTITY_FIELDS)
        else:
            messages.success(
                request, _("Customer %(name)s created.") % {"name": customer.name}
            )
            return redirect("customers:detail", pk=customer.pk)
    status = INVALID if form.is_bound else 200
    return render(request, "customers/create.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def customer_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The customer's own fields: names, kind, language, notes."""
    customer = customer_or_404(request, pk)
    initial = {name: getattr(customer, name) for name in CustomerForm.base_fields}
    form = CustomerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {
            name: value
            for name, value in form.cleaned_data.items()
            if value != initial[name]
        }
        try:
            if changes:
                customer_update(
                    actor=request_actor(request), customer=customer, **changes
                )
        except ApplicationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("The customer was saved."))
            return redirect("customers:detail", pk=customer.pk)
    status = INVALID if form.is_bound else 200
    return render(
        request,
        "customers/edit.html",
        {"form": form, "customer": customer},
        status=status,
    )


@login_required
@require_POST
def identity_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_or_404(request, pk)
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            identity_add(
                actor=request_actor(request),
                customer=customer,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
            )
        except ApplicationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("The identity was added."))
            return redirect("customers:detail", pk=customer.pk)
    return customer_page(
        request, customer, forms={"identity_form": form}, status=INVALID
    )


@login_required
@require_POST
def identity_remove_view(
    request: HttpRequest, pk: int, identity_pk: int
) -> HttpResponse:
    customer = customer_or_404(request, pk)
    try:
        identity = identity_get(actor=request_actor(request), identity_id=identity_pk)
        if identity.customer_id != customer.pk:
            raise ApplicationError(_("This identity belongs to another customer."))
        identity_remove(actor=request_actor(request), identity=identity)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The identity was removed."))
    return redirect("customers:detail", pk=customer.pk)


@login_required
@require_POST
def address_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    customer = customer_or_404(request, pk)
    form = AddressForm(request.POST)
    if form.is_valid():
        try:
            address_add(
                actor=request_actor(request), customer=customer, **form.cleaned_data
            )
        except ApplicationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("The address was added."))
            return redirect("customers:detail", pk=customer.pk)
    return customer_page(
        request, customer, forms={"address_form": form}, status=INVALID
    )


@login_required
@require_POST
def consent_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Append a consent decision to the customer's history (never rewritten)."""
    customer = customer_or_404(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            consent_record(
                actor=request_actor(request), customer=customer, **form.cleaned_data
            )
        except ApplicationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("customers:detail", pk=customer.pk)
    return customer_page(
        request, customer, forms={"consent_form": form}, status=INVALID
    )
