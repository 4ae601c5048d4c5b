"""The « new case » page: an agent records a phone call, a letter or a walk-in,
for a customer found inline (htmx lookup) or registered in the same form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amiable.accounts.models import User
from amiable.cases.intake_forms import FIELD_ALIASES, IDENTITY_FIELDS, CaseIntakeForm
from amiable.cases.models import Case
from amiable.cases.selectors import case_get
from amiable.cases.services import NewCustomerIn, case_open_for_contact
from amiable.commerce.models import Order
from amiable.commerce.selectors import order_list_by_reference
from amiable.core.access import STAFF, access
from amiable.core.errors import ApplicationError, NotFoundError, ValidationError
from amiable.customers.models import Customer
from amiable.customers.selectors import customer_get, customer_list_matching
from amiable.web.requests import form_apply_error, request_actor

LOOKUP_LIMIT = 8


def _picked(actor: User, customer_id: object) -> Customer | None:
    if not isinstance(customer_id, int) and not str(customer_id or "").isdigit():
        return None
    try:
        return customer_get(actor=actor, customer_id=int(str(customer_id)))
    except NotFoundError:
        return None


def _order(actor: User, reference: str) -> Order | None:
    if not reference.strip():
        return None
    order = order_list_by_reference(actor=actor, text=reference).first()
    if order is None:
        raise ValidationError(
            _("No order has this number."), fields={"order_ids": [_("Unknown order.")]}
        )
    return order


def _open(actor: User, form: CaseIntakeForm, picked: Customer | None) -> Case:
    data = form.cleaned_data
    if data.get("customer") and picked is None:
        raise ValidationError(
            _("This customer no longer exists."), fields={"customer_id": [_("Gone.")]}
        )
    new_customer = None
    if picked is None:
        new_customer = NewCustomerIn(
            name=data["new_name"],
            kind=data["new_kind"],
            preferred_language=data["new_language"],
            email=data["new_email"],
            phone=data["new_phone"],
        )
    return case_open_for_contact(
        actor=actor,
        channel=data["channel"],
        subject=data["subject"],
        body_text=data["body_text"],
        kind=data["kind"],
        customer=picked,
        new_customer=new_customer,
        order=_order(actor, data["order_ref"]),
        assign_to_me=data["assign_to_me"],
    )


@access(STAFF)
@login_required
@require_http_methods(["GET", "POST"])
def case_create_view(request: HttpRequest) -> HttpResponse:
    """GET: the form (``?customer=<id>`` picks a customer). POST with
    ``action=lookup`` (the Enter key, or no JavaScript): the form again with the
    customers found; otherwise open the case and go to its page."""
    actor = request_actor(request)
    if request.method == "GET":
        picked = _picked(actor, request.GET.get("customer"))
        form = CaseIntakeForm(initial={"customer": picked.pk if picked else None})
        return _render(request, form, picked=picked, matches=[])
    form = CaseIntakeForm(request.POST)
    picked = _picked(actor, request.POST.get("customer"))
    if request.POST.get("action") == "lookup":
        matches = customer_list_matching(
            actor=actor, text=request.POST.get("lookup", ""), limit=LOOKUP_LIMIT
        ).all
        return _render(request, CaseIntakeForm(request.POST), picked, matches)
    if form.is_valid():
        try:
            case = _open(actor, form, picked)
        except ApplicationError as exc:
            form_apply_error(
                form, exc, aliases=FIELD_ALIASES, value_field_by_kind=IDENTITY_FIELDS
            )
        else:
            messages.success(
                request, _("Case %(reference)s opened.") % {"reference": case.reference}
            )
            try:
                case_get(actor=actor, case_id=case.pk)
            except NotFoundError:
                return redirect(
                    "cases:inbox"
                )  # routed to a team the agent does not see
            return redirect("cases:detail", pk=case.pk)
    return _render(request, form, picked, matches=[], status=422)


def _render(
    request: HttpRequest,
    form: CaseIntakeForm,
    picked: Customer | None,
    matches: list[Customer],
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "cases/create.html",
        {
            "form": form,
            "picked": picked,
            "matches": [c for c in matches if picked is None or c.pk != picked.pk],
            "searched": form.data.get("lookup", "") if form.is_bound else "",
        },
        status=status,
    )


@access(STAFF)
@login_required
@require_GET
def case_customer_lookup_view(request: HttpRequest) -> HttpResponse:
    """The customers matching ``lookup`` as choices of the new case form (htmx)."""
    actor = request_actor(request)
    text = request.GET.get("lookup", "")[:200]
    matches = (
        customer_list_matching(actor=actor, text=text, limit=LOOKUP_LIMIT).all
        if text.strip()
        else []
    )
    picked = _picked(actor, request.GET.get("customer"))
    return render(
        request,
        "cases/create.html#lookup_results",
        {
            "picked": picked,
            "matches": [c for c in matches if picked is None or c.pk != picked.pk],
            "searched": text.strip(),
        },
    )
