"""Creating and editing customers from the staff pages: the customer's fields,
identities, addresses and consents, each through its service (which audits it).
A refused form is shown again with its messages and the agent's input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amiable.accounts.models import User
from amiable.core.access import STAFF, access
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.customers.forms import (
    IDENTITY_FIELDS,
    AddressForm,
    ConsentForm,
    CustomerCreateForm,
    CustomerForm,
    IdentityForm,
)
from amiable.customers.models import Address, Customer
from amiable.customers.selectors import address_get, identity_get
from amiable.customers.services import (
    address_add,
    address_remove,
    address_update,
    consent_record,
    customer_register,
    customer_update,
    identity_add,
    identity_remove,
)
from amiable.customers.views.pages import customer_or_404, customer_page
from amiable.web.requests import form_apply_error, request_actor

INVALID = 422


@access(STAFF)
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


@access(STAFF)
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


def _sub_form_post(
    request: HttpRequest,
    pk: int,
    *,
    form_class: type[forms.Form],
    form_name: str,
    write: Callable[[User, Customer, dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """One form of the customer page: parse, call one service, then back to the
    page, or the page again with the form's errors and input (422)."""
    customer = customer_or_404(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(request_actor(request), customer, form.cleaned_data)
        except ApplicationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("customers:detail", pk=customer.pk)
    return customer_page(request, customer, forms={form_name: form}, status=INVALID)


@access(STAFF)
@login_required
@require_POST
def identity_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form_post(
        request,
        pk,
        form_class=IdentityForm,
        form_name="identity_form",
        write=lambda actor, customer, data: identity_add(
            actor=actor, customer=customer, kind=data["kind"], value=data["value"]
        ),
        done=_("The identity was added."),
    )


@access(STAFF)
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


@access(STAFF)
@login_required
@require_POST
def address_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _sub_form_post(
        request,
        pk,
        form_class=AddressForm,
        form_name="address_form",
        write=lambda actor, customer, data: address_add(
            actor=actor, customer=customer, **data
        ),
        done=_("The address was added."),
    )


@access(STAFF)
@login_required
@require_POST
def consent_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Append a consent decision to the customer's history (never rewritten)."""
    return _sub_form_post(
        request,
        pk,
        form_class=ConsentForm,
        form_name="consent_form",
        write=lambda actor, customer, data: consent_record(
            actor=actor, customer=customer, **data
        ),
        done=_("The consent was recorded."),
    )


def _address_or_404(request: HttpRequest, customer: Customer, pk: int) -> Address:
    try:
        return address_get(
            actor=request_actor(request), customer=customer, address_id=pk
        )
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@access(STAFF)
@login_required
@require_http_methods(["GET", "POST"])
def address_edit_view(request: HttpRequest, pk: int, address_pk: int) -> HttpResponse:
    """Correct an address (its own page: the form keeps the input on error)."""
    customer = customer_or_404(request, pk)
    address = _address_or_404(request, customer, address_pk)
    fields = ["label", "line1", "line2", "postal_code", "city", "country"]
    form = AddressForm(
        request.POST or None,
        initial={name: getattr(address, name) for name in [*fields, "is_default"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            address_update(
                actor=request_actor(request), address=address, **form.cleaned_data
            )
        except ApplicationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("The address was saved."))
            return redirect("customers:detail", pk=customer.pk)
    return render(
        request,
        "customers/address_edit.html",
        {"form": form, "customer": customer, "address": address},
        status=INVALID if form.is_bound else 200,
    )


@access(STAFF)
@login_required
@require_POST
def address_remove_view(request: HttpRequest, pk: int, address_pk: int) -> HttpResponse:
    customer = customer_or_404(request, pk)
    address = _address_or_404(request, customer, address_pk)
    try:
        address_remove(actor=request_actor(request), address=address)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The address was removed."))
    return redirect("customers:detail", pk=customer.pk)
