"""Proposing a gesture from the case page (htmx), and the live hint beside the
form: what similar cases got, the actor's authority and the team's budget."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import sanitize_separators
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from amiable.core.access import TEAM, access
from amiable.core.clock import now
from amiable.core.errors import ApplicationError
from amiable.gestures.forms import GestureProposalForm
from amiable.gestures.panels import case_order_lines, proposal_context
from amiable.gestures.permissions import effective_role, next_level
from amiable.gestures.selectors import (
    authority_for,
    budget_for,
    gesture_consistency,
    gesture_type_list,
)
from amiable.gestures.services import gesture_propose
from amiable.web.requests import case_or_404, is_htmx, request_actor

FIELD_ALIASES = {
    "gesture_type_id": "gesture_type",
    "reason_id": "reason",
    "order_line_id": "order_line",
    "case_id": "gesture_type",
    "customer_id": "gesture_type",
}
PANEL = "gestures/panels/case.html"


@access(TEAM)
@login_required
@require_POST
def gesture_propose_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Propose a gesture on a case: applied at once within the agent's authority,
    else sent for approval. The form's idempotency key makes a double click or a
    resent form one gesture."""
    actor = request_actor(request)
    case = case_or_404(actor, case_pk)
    types = list(gesture_type_list(actor=actor))
    lines = case_order_lines(case)
    form = GestureProposalForm(request.POST, types=types, lines=lines)
    status = 422
    notice = ""
    if form.is_valid():
        data = form.cleaned_data
        gesture_type = next((t for t in types if t.pk == data["gesture_type"]), None)
        reason = next(
            (r for t in types for r in t.reasons.all() if r.pk == data["reason"]),
            None,
        )
        line = next((item for item in lines if item.pk == data["order_line"]), None)
        try:
            if gesture_type is None or reason is None:
                raise ApplicationError(_("Choose a gesture and a reason."))
            proposal = gesture_propose(
                actor=actor,
                customer=case.customer,
                case=case,
                gesture_type=gesture_type,
                reason=reason,
                value=data["value"],
                order_line=line,
                note=data["note"],
                idempotency_key=data["idempotency_key"],
            )
        except ApplicationError as exc:
            status = exc.status
            form.add_error(None, exc.message)
            for field, errors in exc.fields.items():
                name = FIELD_ALIASES.get(field, field)
                if name in form.fields and name != "idempotency_key":
                    form.add_error(name, errors)
        else:
            notice = (
                _("Gesture applied.")
                if proposal.is_applied
                else _("Above your authority: the request was sent for approval.")
            )
            if not is_htmx(request):
                messages.success(request, notice)
                return redirect("cases:detail", pk=case.pk)
            context = proposal_context(actor, case) | {"gesture_notice": notice}
            return render(request, PANEL, context)
    context = proposal_context(actor, case, form)
    if not is_htmx(request):
        # Without htmx: the form on a page of its own, the typed input kept.
        return render(request, "gestures/propose.html", context, status=status)
    response = render(request, PANEL, context, status=status)
    return reswap(retarget(response, "#gestures-panel"), "outerHTML")


def _decimal(raw: str) -> Decimal | None:
    try:
        value = Decimal(sanitize_separators(raw.strip()) or "x")
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() and value > 0 else None


@access(TEAM)
@login_required
@require_GET
def gesture_hint_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The hint fragment for the chosen type and value (htmx, while typing)."""
    actor = request_actor(request)
    case = case_or_404(actor, case_pk)
    raw_type = request.GET.get("gesture_type", "")
    gesture_type = (
        gesture_type_list(actor=actor).filter(pk=int(raw_type)).first()
        if raw_type.isdigit() and len(raw_type) < 12
        else None
    )
    if gesture_type is None:
        return render(request, "gestures/partials/hint.html", {"gesture_type": None})
    value = _decimal(request.GET.get("value", ""))
    moment = now()
    authority = authority_for(
        user=actor,
        gesture_type_id=gesture_type.pk,
        customer_id=case.customer_id,
        at=moment,
    )
    team_id = case.team_id or actor.team_id
    budget = budget_for(team_id=team_id, gesture_type_id=gesture_type.pk, at=moment)
    context = {
        "gesture_type": gesture_type,
        "value": value,
        "consistency": gesture_consistency(
            gesture_type_id=gesture_type.pk,
            category=case.category,
            customer_tier=case.customer.tier,
            value=value,
            at=moment,
        ),
        "authority": authority,
        "is_within": value is not None and authority.covers(value),
        "approval_level": next_level(effective_role(actor)),
        "budget": budget,
        "case": case,
    }
    return render(request, "gestures/partials/hint.html", context)
