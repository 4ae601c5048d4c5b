"""Macro pages (list, create, edit, delete) and the composer's picker (search,
apply). Each view parses, authorises through the selectors and services, renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amiable.accounts.models import Role, Team, User
from amiable.accounts.selectors import team_list
from amiable.cases.models import Case
from amiable.cases.selectors import case_get
from amiable.core.access import STAFF, TEAM, access
from amiable.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from amiable.macros.forms import MacroApplyForm, MacroForm
from amiable.macros.models import Macro
from amiable.macros.permissions import can_manage_macro
from amiable.macros.rendering import VARIABLES
from amiable.macros.selectors import (
    macro_get,
    macro_get_for_case,
    macro_list,
    macro_list_for_case,
)
from amiable.macros.services import (
    macro_apply,
    macro_create,
    macro_delete,
    macro_update,
)
from amiable.web.requests import request_actor as _actor

PERSONAL = "personal"


def _scopes(actor: User) -> list[tuple[str, str]]:
    """Where the actor may create a macro: for themselves, or a team they manage."""
    scopes = [(PERSONAL, str(_("Me only (personal macro)")))]
    if actor.is_superuser or actor.role == Role.ADMIN:
        teams = list(team_list(actor=actor))
    elif actor.role == Role.SUPERVISOR and actor.team is not None:
        teams = [actor.team]
    else:
        teams = []
    scopes += [
        (f"team:{team.pk}", _("Team “%(team)s”") % {"team": team.name})
        for team in teams
    ]
    return scopes


def _scope_of(macro: Macro) -> list[tuple[str, str]]:
    if macro.team is not None:
        return [(f"team:{macro.team_id}", _("Team “%(team)s”") % {"team": macro.team})]
    return [(PERSONAL, str(_("Me only (personal macro)")))]


def _team_of(actor: User, scope: str) -> Team | None:
    if scope == PERSONAL:
        return None
    team = team_list(actor=actor).filter(pk=int(scope.partition(":")[2])).first()
    if team is None:
        raise NotFoundError(_("No such team."), fields={"scope": [_("Unknown.")]})
    return team


def _apply_error(form: MacroForm, exc: ApplicationError) -> None:
    form.add_error(None, exc.message)
    for field, errors in exc.fields.items():
        if field in form.fields:
            form.add_error(field, errors)


def _form_page(
    request: HttpRequest, form: MacroForm, macro: Macro | None, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {"form": form, "macro": macro, "variables": VARIABLES}
    return render(request, "macros/form.html", context, status=status)


@access(STAFF)
@login_required
@require_GET
def macro_list_view(request: HttpRequest) -> HttpResponse:
    """Every macro the actor may see, and which ones they may edit."""
    actor = _actor(request)
    rows = [
        (
            macro,
            can_manage_macro(actor, team_id=macro.team_id, owner_id=macro.owner_id),
        )
        for macro in macro_list(actor=actor)
    ]
    return render(request, "macros/list.html", {"rows": rows})


@access(STAFF)
@login_required
@require_http_methods(["GET", "POST"])
def macro_create_view(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    scopes = _scopes(actor)
    if request.method == "GET":
        return _form_page(request, MacroForm(scopes=scopes), None)
    form = MacroForm(request.POST, scopes=scopes)
    if not form.is_valid():
        return _form_page(request, form, None, status=422)
    data = form.cleaned_data
    try:
        macro_create(
            actor=actor,
            team=_team_of(actor, data["scope"]),
            **{key: value for key, value in data.items() if key != "scope"},
        )
    except ApplicationError as exc:
        _apply_error(form, exc)
        return _form_page(request, form, None, status=exc.status)
    messages.success(request, _("Macro saved."))
    return redirect("macros:list")


def _managed(actor: User, pk: int) -> Macro:
    try:
        macro = macro_get(actor=actor, macro_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    if not can_manage_macro(actor, team_id=macro.team_id, owner_id=macro.owner_id):
        raise PermissionDenied
    return macro


@access(TEAM)
@login_required
@require_http_methods(["GET", "POST"])
def macro_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    macro = _managed(actor, pk)
    scopes = _scope_of(macro)
    if request.method == "GET":
        initial = {
            "name": macro.name,
            "scope": scopes[0][0],
            "body_fr": macro.body_fr,
            "body_en": macro.body_en,
            "set_status": macro.set_status,
            "set_priority": macro.set_priority,
            "note": macro.note,
            "promise_kind": macro.promise_kind,
            "promise_text": macro.promise_text,
            "promise_days": macro.promise_days or None,
            "add_tags": macro.add_tags,
            "set_field_key": macro.set_field_key,
            "set_field_value": macro.set_field_value,
            "is_active": macro.is_active,
        }
        return _form_page(request, MacroForm(initial=initial, scopes=scopes), macro)
    form = MacroForm(request.POST, scopes=scopes)
    if not form.is_valid():
        return _form_page(request, form, macro, status=422)
    data = form.cleaned_data
    try:
        macro_update(
            actor=actor,
            macro=macro,
            **{key: value for key, value in data.items() if key != "scope"},
        )
    except ApplicationError as exc:
        _apply_error(form, exc)
        return _form_page(request, form, macro, status=exc.status)
    messages.success(request, _("Macro saved."))
    return redirect("macros:list")


@access(TEAM)
@login_required
@require_http_methods(["GET", "POST"])
def macro_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the deletion."""
    actor = _actor(request)
    macro = _managed(actor, pk)
    if request.method == "GET":
        return render(request, "macros/delete.html", {"macro": macro})
    try:
        macro_delete(actor=actor, macro=macro)
    except PermissionDeniedError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Macro deleted."))
    return redirect("macros:list")


def _case(actor: User, case_pk: int) -> Case:
    try:
        return case_get(actor=actor, case_id=case_pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@access(TEAM)
@login_required
@require_GET
def macro_picker_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    """The picker's results for the composer of a case (htmx fragment)."""
    actor = _actor(request)
    case = _case(actor, case_pk)
    text = request.GET.get("q", "")[:120]
    macros = macro_list_for_case(actor=actor, case=case, text=text)
    return render(
        request, "macros/picker_results.html", {"macros": macros, "case": case}
    )


@access(TEAM)
@login_required
@require_POST
def macro_apply_view(request: HttpRequest, case_pk: int, pk: int) -> HttpResponse:
    """Apply a macro to a case; answer its rendered text as JSON for the composer
    (``text``, ``changed``, ``version``), or the error as JSON."""
    actor = _actor(request)
    case = _case(actor, case_pk)
    form = MacroApplyForm(request.POST)
    if not form.is_valid():
        return JsonResponse(
            {"code": "validation_error", "message": _("The case version is missing.")},
            status=422,
        )
    try:
        macro = macro_get_for_case(actor=actor, case=case, macro_id=pk)
        applied = macro_apply(
            actor=actor,
            case=case,
            macro=macro,
            expected_version=form.cleaned_data["version"],
        )
    except ApplicationError as exc:
        return JsonResponse(
            {"code": str(exc.code), "message": exc.message, "fields": exc.fields},
            status=exc.status,
        )
    return JsonResponse(
        {
            "text": applied.text,
            "changed": applied.is_case_changed,
            "version": applied.case.version,
        }
    )
