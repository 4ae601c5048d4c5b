"""Incidents: the list (and declaring one), the incident page with its cases, and
reply to all / resolve all from it; linking a case from the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors import case_visible_queryset
from amiable.core.access import STAFF, SUPERVISORS, access
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.core.pagination import paginate
from amiable.core.panels import PanelRequest
from amiable.quality.forms import (
    CaseIncidentForm,
    IncidentFilterForm,
    IncidentForm,
    IncidentLinkForm,
    ReplyAllForm,
    ResolveAllForm,
)
from amiable.quality.models import Incident
from amiable.quality.panels import case_panel_context
from amiable.quality.permissions import can_manage_incidents, can_view_quality
from amiable.quality.selectors import (
    IncidentFilters,
    incident_actions,
    incident_case_count,
    incident_cases,
    incident_get,
    incident_list,
)
from amiable.quality.services import (
    incident_create,
    incident_link_cases,
    incident_reply_all,
    incident_resolve_all,
)
from amiable.web.requests import case_or_404, form_apply_error, is_htmx, request_actor

PAGE_SIZE = 25
CASE_PAGE_SIZE = 50


def _incident_or_404(actor: User, pk: int) -> Incident:
    try:
        return incident_get(actor=actor, incident_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _list(
    request: HttpRequest, actor: User, form: IncidentForm | None, status: int = 200
) -> HttpResponse:
    filters = IncidentFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    queryset = incident_list(
        actor=actor, filters=IncidentFilters(status=data.get("status") or "")
    )
    errors: list[str] = []
    try:
        page = paginate(
            queryset,
            ordering=("-started_at", "-id"),
            limit=PAGE_SIZE,
            cursor=data.get("cursor") or None,
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(queryset, ordering=("-started_at", "-id"), limit=PAGE_SIZE)
    context = {
        "page": page,
        "filters": filters,
        "errors": errors,
        "can_manage": can_manage_incidents(actor),
        "can_view_quality": can_view_quality(actor),
        "form": form or IncidentForm(auto_id="incident_%s"),
    }
    return render(request, "quality/incident_list.html", context, status=status)


@access(STAFF)
@login_required
@require_GET
def incident_list_view(request: HttpRequest) -> HttpResponse:
    return _list(request, request_actor(request), None)


@access(SUPERVISORS)
@login_required
@require_POST
def incident_create_view(request: HttpRequest) -> HttpResponse:
    actor = request_actor(request)
    if not can_manage_incidents(actor):
        raise PermissionDenied
    form = IncidentForm(request.POST, auto_id="incident_%s")
    if not form.is_valid():
        return _list(request, actor, form, status=422)
    try:
        incident = incident_create(actor=actor, **form.cleaned_data)
    except ApplicationError as exc:
        form_apply_error(form, exc)
        return _list(request, actor, form, status=exc.status)
    messages.success(request, _("The incident is declared."))
    return redirect("quality:incident_detail", pk=incident.pk)


def _detail(
    request: HttpRequest,
    actor: User,
    incident: Incident,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    cases = incident_cases(actor=actor, incident=incident)
    errors: list[str] = []
    try:
        page = paginate(
            cases,
            ordering=("opened_at", "id"),
            limit=CASE_PAGE_SIZE,
            cursor=request.GET.get("cursor") or None,
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(cases, ordering=("opened_at", "id"), limit=CASE_PAGE_SIZE)
    context: dict[str, Any] = {
        "incident": incident,
        "page": page,
        "visible_count": cases.count(),
        "total_count": incident_case_count(incident=incident),
        "actions": incident_actions(incident=incident),
        "errors": errors,
        "can_manage": can_manage_incidents(actor),
        "link_form": IncidentLinkForm(auto_id="incident_link_%s"),
        "reply_form": ReplyAllForm(auto_id="reply_all_%s"),
        "resolve_form": ResolveAllForm(
            initial={"version": incident.version}, auto_id="resolve_all_%s"
        ),
    }
    context.update(bound or {})
    return render(request, "quality/incident_detail.html", context, status=status)


@access(STAFF)
@login_required
@require_GET
def incident_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    return _detail(request, actor, _incident_or_404(actor, pk))


def _cases_by_reference(actor: User, references: list[str]) -> list[Case]:
    found = list(case_visible_queryset(actor=actor).filter(reference__in=references))
    missing = sorted(set(references) - {case.reference for case in found})
    if missing:
        raise NotFoundError(
            _("No such case: %(references)s") % {"references": ", ".join(missing)},
            fields={"references": [", ".join(missing)]},
        )
    return found


@access(STAFF)
@login_required
@require_POST
def incident_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    incident = _incident_or_404(actor, pk)
    form = IncidentLinkForm(request.POST, auto_id="incident_link_%s")
    if form.is_valid():
        try:
            created = incident_link_cases(
                actor=actor,
                incident=incident,
                cases=_cases_by_reference(actor, form.cleaned_data["references"]),
            )
        except ApplicationError as exc:
            form_apply_error(form, exc)
            return _detail(request, actor, incident, {"link_form": form}, exc.status)
        messages.success(
            request, _("%(count)d case(s) linked.") % {"count": len(created)}
        )
        return redirect("quality:incident_detail", pk=pk)
    return _detail(request, actor, incident, {"link_form": form}, 422)


@access(SUPERVISORS)
@login_required
@require_POST
def incident_reply_all_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    incident = _incident_or_404(actor, pk)
    form = ReplyAllForm(request.POST, auto_id="reply_all_%s")
    if form.is_valid():
        try:
            incident_reply_all(
                actor=actor,
                incident=incident,
                body_fr=form.cleaned_data["body_fr"],
                body_en=form.cleaned_data["body_en"],
                is_waiting_for_customer=form.cleaned_data["wait_for_customer"],
            )
        except ApplicationError as exc:
            form_apply_error(form, exc)
            return _detail(request, actor, incident, {"reply_form": form}, exc.status)
        messages.success(request, _("The reply is being sent to every case."))
        return redirect("quality:incident_detail", pk=pk)
    return _detail(request, actor, incident, {"reply_form": form}, 422)


@access(SUPERVISORS)
@login_required
@require_POST
def incident_resolve_all_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request_actor(request)
    if not can_manage_incidents(actor):
        raise PermissionDenied
    incident = _incident_or_404(actor, pk)
    form = ResolveAllForm(request.POST, auto_id="resolve_all_%s")
    if form.is_valid():
        try:
            incident_resolve_all(
                actor=actor,
                incident=incident,
                summary=form.cleaned_data["summary"],
                root_cause=form.cleaned_data["root_cause"],
                expected_version=form.cleaned_data["version"],
            )
        except ApplicationError as exc:
            form_apply_error(form, exc)
            return _detail(request, actor, incident, {"resolve_form": form}, exc.status)
        messages.success(request, _("The incident is resolved; its cases follow."))
        return redirect("quality:incident_detail", pk=pk)
    return _detail(request, actor, incident, {"resolve_form": form}, 422)


@access(STAFF)
@login_required
@require_POST
def case_incident_view(request: HttpRequest, pk: int) -> HttpResponse:
    """From the case page: link the case to an open incident (htmx: the panel)."""
    actor = request_actor(request)
    case = case_or_404(actor, pk)
    form = CaseIncidentForm(request.POST, auto_id="case_incident_%s")
    bound: dict[str, forms.Form] | None = {"incident_form": form}
    status, notice = 422, ""
    if form.is_valid():
        try:
            incident_link_cases(
                actor=actor, incident=form.cleaned_data["incident"], cases=[case]
            )
        except ApplicationError as exc:
            form_apply_error(form, exc)
            status = exc.status
        else:
            status, notice, bound = 200, _("The case is linked to the incident."), None
    if not is_htmx(request):
        if status == 200:
            messages.success(request, notice)
        else:
            messages.error(request, _("The case could not be linked to the incident."))
        return redirect("cases:detail", pk=pk)
    panel = PanelRequest(request=request, subject=case, actor=actor)
    context = case_panel_context(panel, bound) or {}
    body = render_to_string(
        "quality/panels/case.html", context | {"notice": notice}, request=request
    )
    return HttpResponse(body, status=status)
