"""The actions of the dispute and cost panels on the case page.

Each action parses its form and calls one service. An htmx request gets its panel
back (the bound form with the service's messages and the typed input at 4xx); a
plain request is redirected to the case page, or shown the panel on its own page
when the form has errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.services import case_cost_add
from amiable.core.access import TEAM, access
from amiable.core.clock import now
from amiable.core.errors import ApplicationError
from amiable.core.money import Money
from amiable.core.panels import PanelRequest
from amiable.disputes.forms import (
    CostForm,
    DisputeDatesForm,
    DisputeStartForm,
    MediatorInfoForm,
    ProposalAnswerForm,
    ProposalForm,
)
from amiable.disputes.models import Dispute
from amiable.disputes.panels import cost_panel_context, dispute_panel_context
from amiable.disputes.selectors import dispute_for_case, proposal_get
from amiable.disputes.services import (
    dispute_open,
    dispute_send_mediator_info,
    dispute_update,
    proposal_add,
    proposal_respond,
)
from amiable.web.requests import case_or_404, form_apply_error, request_actor

DISPUTE_TEMPLATE = "disputes/panels/dispute.html"
# The same element ids as the panel renders (labels stay tied to their inputs).
AUTO_IDS = {
    "start_form": "dispute_start_%s",
    "dates_form": "dispute_dates_%s",
    "info_form": "dispute_info_%s",
    "proposal_form": "dispute_proposal_%s",
    "answer_form": "dispute_answer_%s",
    "cost_form": "cost_%s",
}
COST_TEMPLATE = "disputes/panels/costs.html"
ContextFunction = Callable[
    [PanelRequest, Mapping[str, forms.Form] | None], dict[str, Any] | None
]


def _dispute_or_404(actor: User, case: Case) -> Dispute:
    dispute = dispute_for_case(actor=actor, case=case)
    if dispute is None:
        raise Http404(_("No such dispute."))
    return dispute


def _panel(
    request: HttpRequest,
    actor: User,
    case: Case,
    *,
    template: str,
    context: ContextFunction,
    bound: Mapping[str, forms.Form] | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    fresh = case_or_404(actor, case.pk)
    panel = PanelRequest(request=request, subject=fresh, actor=actor)
    values = (context(panel, bound) or {}) | {"notice": notice}
    if getattr(request, "htmx", False):
        return HttpResponse(
            render_to_string(template, values, request=request), status=status
        )
    if status < 400:
        messages.success(request, notice)
        return redirect("cases:detail", pk=case.pk)
    page = values | {"case": fresh, "panel_template": template}
    return render(request, "disputes/panel_page.html", page, status=status)


def _act(
    request: HttpRequest,
    pk: int,
    *,
    name: str,
    form_class: type[forms.Form],
    perform: Callable[[User, Case, dict[str, Any]], str],
    template: str = DISPUTE_TEMPLATE,
    context: ContextFunction = dispute_panel_context,
    refresh_page: bool = False,
) -> HttpResponse:
    """Parse ``form_class``, run ``perform`` (one service call), answer."""
    actor = request_actor(request)
    case = case_or_404(actor, pk)
    form = form_class(request.POST, auto_id=AUTO_IDS[name])
    status = 422
    if form.is_valid():
        try:
            notice = perform(actor, case, form.cleaned_data)
        except ApplicationError as exc:
            form_apply_error(form, exc)
            status = exc.status
        else:
            if refresh_page and getattr(request, "htmx", False):
                # The case changed too (a reply): its page's forms must reload.
                messages.success(request, notice)
                return HttpResponseClientRefresh()
            return _panel(
                request, actor, case, template=template, context=context, notice=notice
            )
    return _panel(
        request,
        actor,
        case,
        template=template,
        context=context,
        bound={name: form},
        status=status,
    )


def _start(actor: User, case: Case, data: dict[str, Any]) -> str:
    dispute_open(
        actor=actor, case=case, written_complaint_at=data["written_complaint_at"]
    )
    return _("The dispute track is started.")


def _typed_the_same(current: Any, typed: Any) -> bool:
    """The form shows times to the minute: an untouched field is not a change."""
    if isinstance(current, dt.datetime) and isinstance(typed, dt.datetime):
        return bool(current.replace(second=0, microsecond=0) == typed)
    return False


def _dates(actor: User, case: Case, data: dict[str, Any]) -> str:
    dispute = _dispute_or_404(actor, case)
    changes = {
        key: value
        for key, value in data.items()
        if key != "version" and not _typed_the_same(getattr(dispute, key, None), value)
    }
    dispute_update(
        actor=actor, dispute=dispute, expected_version=data["version"], **changes
    )
    return _("The dispute is saved.")


def _mediator_info(actor: User, case: Case, data: dict[str, Any]) -> str:
    dispute = _dispute_or_404(actor, case)
    dispute_send_mediator_info(
        actor=actor,
        dispute=dispute,
        mediator=data["mediator"],
        expected_version=data["version"],
    )
    return _("The mediator's details were sent to the customer.")


def _proposal(actor: User, case: Case, data: dict[str, Any]) -> str:
    dispute = _dispute_or_404(actor, case)
    amount: Decimal | None = data["amount"]
    proposal_add(
        actor=actor,
        dispute=dispute,
        made_by=data["made_by"],
        description=data["description"],
        proposed_at=data["proposed_at"],
        amount=Money(amount, "EUR") if amount is not None else None,
        respond_by=data["respond_by"],
        expected_version=data["version"],
    )
    return _("The proposal is recorded.")


def _cost(actor: User, case: Case, data: dict[str, Any]) -> str:
    day = data["incurred_on"]
    # A cost typed for a day is booked at noon, local time: on that day whatever
    # the time zone of a report.
    incurred_at = (
        dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())
        if day is not None
        else None
    )
    case_cost_add(
        actor=actor,
        case=case,
        kind=data["kind"],
        cost=Money(data["amount"], data["currency"].upper()),
        description=data["description"],
        incurred_at=incurred_at,
    )
    return _("The cost is added.")


@access(TEAM)
@login_required
@require_POST
def dispute_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, name="start_form", form_class=DisputeStartForm, perform=_start
    )


@access(TEAM)
@login_required
@require_POST
def dispute_dates_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, name="dates_form", form_class=DisputeDatesForm, perform=_dates
    )


@access(TEAM)
@login_required
@require_POST
def dispute_mediator_info_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="info_form",
        form_class=MediatorInfoForm,
        perform=_mediator_info,
        refresh_page=True,
    )


@access(TEAM)
@login_required
@require_POST
def dispute_proposal_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, name="proposal_form", form_class=ProposalForm, perform=_proposal
    )


@access(TEAM)
@login_required
@require_POST
def dispute_proposal_answer_view(
    request: HttpRequest, pk: int, proposal_pk: int
) -> HttpResponse:
    def answer(actor: User, case: Case, data: dict[str, Any]) -> str:
        dispute = _dispute_or_404(actor, case)
        proposal_respond(
            actor=actor,
            proposal=proposal_get(dispute=dispute, proposal_id=proposal_pk),
            is_accepted=data["answer"] == "accepted",
            responded_at=data["responded_at"] or now(),
            note=data["note"],
        )
        return _("The answer is recorded.")

    return _act(
        request,
        pk,
        name="answer_form",
        form_class=ProposalAnswerForm,
        perform=answer,
    )


@access(TEAM)
@login_required
@require_POST
def case_cost_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        name="cost_form",
        form_class=CostForm,
        perform=_cost,
        template=COST_TEMPLATE,
        context=cost_panel_context,
    )
