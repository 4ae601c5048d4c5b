"""The case page: timeline, customer 360, and the actions on the case.

Each action posts the case ``version`` it was shown. On success an htmx request gets
the refreshed workspace (header, timeline, forms); a plain request is redirected. On
failure the form comes back bound, with the service's message and the typed text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from amiable.accounts.models import User
from amiable.accounts.selectors import user_list_assignable
from amiable.cases.models import Case, CaseStatus, EscalationLevel
from amiable.cases.selectors import (
    root_cause_list,
)
from amiable.cases.services import (
    case_add_note,
    case_assign,
    case_change_status,
    case_escalate,
    case_log_call,
    case_reply,
    case_resolve,
)
from amiable.cases.views.page_context import FORM_CLASSES
from amiable.cases.views.page_context import action_context as _action_context
from amiable.cases.views.page_context import detail_context as _detail_context
from amiable.conversations.attachments import attachments_from_uploads
from amiable.conversations.markdown import markdown_html
from amiable.core.access import TEAM, access
from amiable.core.errors import (
    ApplicationError,
    NotFoundError,
    ValidationError,
    VersionConflictError,
)
from amiable.web.requests import case_or_404 as _case_or_404
from amiable.web.requests import form_apply_error
from amiable.web.requests import is_htmx as _is_htmx
from amiable.web.requests import request_actor as _actor

# Service field names -> form field names, so errors land beside the right control.
FIELD_ALIASES = {
    "body_text": "body",
    "body_html": "body",
    "duration_seconds": "duration_minutes",
    "assignee_id": "assignee",
    "notes": "notes",
    "attachments": "attachments",
    "interaction_ids": "messages",
}


@access(TEAM)
@login_required
@require_GET
def case_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The case page (404 when the actor may not see the case)."""
    actor = _actor(request)
    case = _case_or_404(actor, pk)
    if actor.team_id is not None and actor.team_id == case.team_id:
        actor.team = case.team  # the header names it: the case's, not read again
    return render(request, "cases/detail.html", _detail_context(actor, case))


def _apply_error(form: forms.Form, exc: ApplicationError) -> None:
    form_apply_error(form, exc, aliases=FIELD_ALIASES)


def _failed(
    request: HttpRequest,
    actor: User,
    case: Case,
    name: str,
    form: forms.Form,
    status: int,
    conflict: bool = False,
) -> HttpResponse:
    """Render the failing form bound (typed text kept) with its messages."""
    extra = {
        "conflict": conflict,
        "conflict_form": name if conflict else "",
        "reload_url": reverse("cases:detail", args=[case.pk]),
    }
    if _is_htmx(request) and name == "forward":  # its form lists the messages
        context = _detail_context(actor, case, {name: form}) | extra
        return render(request, "cases/detail.html#workspace", context, status=status)
    if _is_htmx(request):
        context = _action_context(actor, case, {name: form}) | extra
        response = render(
            request, f"cases/detail.html#{name}-form", context, status=status
        )
        return reswap(retarget(response, f"#{name}-form"), "outerHTML")
    context = _detail_context(actor, case, {name: form}) | extra
    return render(request, "cases/detail.html", context, status=status)


def _act(
    request: HttpRequest,
    pk: int,
    name: str,
    perform: Callable[[User, Case, dict[str, Any]], str],
) -> HttpResponse:
    """Parse the ``name`` form, run ``perform`` (one service call), answer."""
    actor = _actor(request)
    case = _case_or_404(actor, pk)
    # Distinct ids per form ("reply_body", "note_body") keep labels unambiguous.
    form = FORM_CLASSES[name](request.POST, request.FILES, auto_id=f"{name}_%s")
    if not form.is_valid():
        return _failed(request, actor, case, name, form, status=422)
    try:
        notice = perform(actor, case, form.cleaned_data)
    except ApplicationError as exc:
        _apply_error(form, exc)
        return _failed(
            request,
            actor,
            case,
            name,
            form,
            status=exc.status,
            conflict=isinstance(exc, VersionConflictError),
        )
    if _is_htmx(request):
        fresh = _case_or_404(actor, pk)
        context = _detail_context(actor, fresh) | {"notice": notice, "done_form": name}
        return render(request, "cases/detail.html#workspace", context)
    messages.success(request, notice)
    return redirect("cases:detail", pk=pk)


def _reply(actor: User, case: Case, data: dict[str, Any]) -> str:
    case_reply(
        actor=actor,
        case=case,
        body_text=data["body"],
        body_html=markdown_html(data["body"]) if data["is_markdown"] else "",
        channel=data["channel"],
        attachments=attachments_from_uploads(data["attachments"]),
        cc=data["cc"],
        bcc=data["bcc"],
        status=CaseStatus.WAITING_CUSTOMER if data["wait_for_customer"] else None,
        # Not the version: a note, a customer's message or a status change meanwhile
        # does not stop a reply; a colleague's reply asks for a confirmation.
        seen_through=data["seen"],
        is_confirmed=data["send_anyway"],
    )
    return _("Reply sent.")


def _note(actor: User, case: Case, data: dict[str, Any]) -> str:
    case_add_note(
        actor=actor,
        case=case,
        body_text=data["body"],
        expected_version=data["version"],
    )
    return _("Note added.")


def _call(actor: User, case: Case, data: dict[str, Any]) -> str:
    case_log_call(
        actor=actor,
        case=case,
        direction=data["direction"],
        duration_seconds=data["duration_minutes"] * 60,
        outcome=data["outcome"],
        notes=data["notes"],
        expected_version=data["version"],
    )
    return _("Call logged.")


def _status(actor: User, case: Case, data: dict[str, Any]) -> str:
    if data["status"] == CaseStatus.CLOSED and not data["confirm_close"]:
        message = _("Closing ends the case. Close it?")
        raise ValidationError(message, fields={"confirm_close": [message]})
    changed = case_change_status(
        actor=actor, case=case, status=data["status"], expected_version=data["version"]
    )
    return _("Status changed to “%(status)s”.") % {
        "status": changed.get_status_display()
    }


def _assign(actor: User, case: Case, data: dict[str, Any]) -> str:
    choice = data["assignee"]
    assignee: User | None
    if choice == "me":
        assignee = actor
    elif choice:
        assignee = user_list_assignable(actor=actor).filter(pk=int(choice)).first()
        if assignee is None:
            raise NotFoundError(
                _("No such user."), fields={"assignee": [_("Unknown user.")]}
            )
    else:
        assignee = None
    changed = case_assign(
        actor=actor, case=case, assignee=assignee, expected_version=data["version"]
    )
    if changed.assignee is None:
        return _("The case is now unassigned.")
    return _("Case assigned to %(name)s.") % {"name": changed.assignee.display_name}


def _resolve(actor: User, case: Case, data: dict[str, Any]) -> str:
    root_cause = None
    if data["root_cause"]:
        root_cause = root_cause_list(actor=actor).filter(pk=data["root_cause"]).first()
        if root_cause is None:
            raise NotFoundError(
                _("No such root cause."), fields={"root_cause": [_("Unknown.")]}
            )
    case_resolve(
        actor=actor,
        case=case,
        resolution_summary=data["resolution_summary"],
        category=data["category"] or None,
        root_cause=root_cause,
        expected_version=data["version"],
    )
    return _("Case resolved.")


def _escalate(actor: User, case: Case, data: dict[str, Any]) -> str:
    row = case_escalate(
        actor=actor,
        case=case,
        level=data["level"],
        reason=data["reason"],
        expected_version=data["version"],
    )
    return _("Escalated to level %(level)d (%(label)s).") % {
        "level": row.level,
        "label": EscalationLevel(row.level).label,
    }


@access(TEAM)
@login_required
@require_POST
def case_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "resolve", _resolve)


@access(TEAM)
@login_required
@require_POST
def case_escalate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "escalate", _escalate)


@access(TEAM)
@login_required
@require_POST
def case_reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "reply", _reply)


@access(TEAM)
@login_required
@require_POST
def case_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "note", _note)


@access(TEAM)
@login_required
@require_POST
def case_call_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "call", _call)


@access(TEAM)
@login_required
@require_POST
def case_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "status", _status)


@access(TEAM)
@login_required
@require_POST
def case_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "assign", _assign)
