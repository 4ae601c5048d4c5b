"""The gestures list, the approvals queue, a gesture's page (with what an approver
weighs) and its decision."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.accounts.models import User
from amiable.core.access import STAFF, SUPERVISORS, TEAM, access
from amiable.core.clock import now
from amiable.core.errors import ApplicationError
from amiable.core.pagination import paginate
from amiable.gestures.forms import DecisionForm, GestureListForm
from amiable.gestures.models import Gesture
from amiable.gestures.permissions import can_decide_level, is_approver
from amiable.gestures.selectors import (
    approval_context,
    approval_queue,
    gesture_list,
    pending_step,
)
from amiable.gestures.services import gesture_approve, gesture_escalate, gesture_reject
from amiable.gestures.views.common import gesture_or_404
from amiable.web.requests import request_actor

PAGE_SIZE = 25


@access(STAFF)
@login_required
@require_GET
def gesture_list_view(request: HttpRequest) -> HttpResponse:
    """Every gesture the actor may see, newest first, one keyset page at a time."""
    actor = request_actor(request)
    form = GestureListForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    queryset = gesture_list(actor=actor, status=data.get("status") or "")
    errors: list[str] = []
    ordering = ("-requested_at", "-id")
    try:
        page = paginate(
            queryset,
            ordering=ordering,
            limit=PAGE_SIZE,
            cursor=data.get("cursor") or None,
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(queryset, ordering=ordering, limit=PAGE_SIZE)
    context = {
        "page": page,
        "form": form,
        "errors": errors,
        "is_approver": is_approver(actor),
    }
    return render(request, "gestures/list.html", context)


@access(SUPERVISORS)
@login_required
@require_GET
def approval_queue_view(request: HttpRequest) -> HttpResponse:
    """Requests waiting for the actor's decision, the most urgent first."""
    actor = request_actor(request)
    if not is_approver(actor):
        raise PermissionDenied
    errors: list[str] = []
    queryset = approval_queue(actor=actor)
    ordering = ("due_at", "id")
    try:
        page = paginate(
            queryset,
            ordering=ordering,
            limit=PAGE_SIZE,
            cursor=request.GET.get("cursor") or None,
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(queryset, ordering=ordering, limit=PAGE_SIZE)
    context = {"page": page, "errors": errors, "now": now()}
    return render(request, "gestures/approvals.html", context)


def _detail_context(
    actor: User, gesture: Gesture, form: DecisionForm | None = None
) -> dict[str, Any]:
    step = pending_step(gesture=gesture)
    may_decide = (
        step is not None
        and gesture.requested_by_id != actor.pk
        and can_decide_level(actor, step.level, step.team_id)
    )
    return {
        "gesture": gesture,
        "step": step,
        "may_decide": may_decide,
        "is_own_request": step is not None and gesture.requested_by_id == actor.pk,
        "context": approval_context(actor=actor, gesture=gesture)
        if step is not None or is_approver(actor)
        else None,
        "decision_form": form or DecisionForm(),
        "is_approver": is_approver(actor),
    }


@access(TEAM)
@login_required
@require_GET
def gesture_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    gesture = gesture_or_404(actor, pk)
    return render(request, "gestures/detail.html", _detail_context(actor, gesture))


@access(TEAM)
@login_required
@require_POST
def gesture_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve, reject (with a reason) or escalate; errors keep the typed reason."""
    actor = request_actor(request)
    gesture = gesture_or_404(actor, pk)
    form = DecisionForm(request.POST)
    status = 422
    if form.is_valid():
        decision = form.cleaned_data["decision"]
        reason = form.cleaned_data["reason"]
        try:
            if decision == "approve":
                gesture_approve(actor=actor, gesture=gesture, reason=reason)
                notice = _("Gesture approved and applied.")
            elif decision == "reject":
                gesture_reject(actor=actor, gesture=gesture, reason=reason)
                notice = _("Gesture rejected.")
            else:
                gesture_escalate(actor=actor, gesture=gesture, reason=reason)
                notice = _("Request passed to the next level.")
        except ApplicationError as exc:
            status = exc.status
            form.add_error(None, exc.message)
            for field, errors in exc.fields.items():
                if field in form.fields:
                    form.add_error(field, errors)
        else:
            messages.success(request, notice)
            return redirect("gestures:approvals")
    fresh = gesture_or_404(actor, pk)
    return render(
        request,
        "gestures/detail.html",
        _detail_context(actor, fresh, form),
        status=status,
    )
