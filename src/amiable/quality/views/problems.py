"""The problem list and the problem page (its cases and their cost, its owner and
corrective action)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.accounts.models import User
from amiable.cases.selectors import case_get_by_reference
from amiable.core.access import SUPERVISORS, access
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.core.pagination import paginate
from amiable.quality.forms import ProblemForm, ProblemLinkForm
from amiable.quality.models import Problem, ProblemStatus
from amiable.quality.permissions import can_manage_problems
from amiable.quality.selectors import (
    ProblemFilters,
    problem_cases,
    problem_get,
    problem_list,
)
from amiable.quality.services import problem_link_case, problem_update
from amiable.quality.views.common import quality_staff
from amiable.web.requests import form_apply_error

PAGE_SIZE = 25


def _problem_or_404(actor: User, pk: int) -> Problem:
    try:
        return problem_get(actor=actor, problem_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


@access(SUPERVISORS)
@login_required
@require_GET
def problem_list_view(request: HttpRequest) -> HttpResponse:
    actor = quality_staff(request)
    status = request.GET.get("status", ProblemStatus.OPEN)
    if status not in {*ProblemStatus.values, "all"}:
        status = ProblemStatus.OPEN
    queryset = problem_list(
        actor=actor, filters=ProblemFilters(status="" if status == "all" else status)
    )
    errors: list[str] = []
    try:
        page = paginate(
            queryset,
            ordering=("-opened_at", "-id"),
            limit=PAGE_SIZE,
            cursor=request.GET.get("cursor") or None,
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(queryset, ordering=("-opened_at", "-id"), limit=PAGE_SIZE)
    context = {
        "page": page,
        "status": status,
        "statuses": [("all", _("All")), *ProblemStatus.choices],
        "errors": errors,
    }
    return render(request, "quality/problem_list.html", context)


def _initial(problem: Problem) -> dict[str, Any]:
    return {
        "version": problem.version,
        "title": problem.title,
        "owner": problem.owner_id,
        "corrective_action": problem.corrective_action,
        "action_status": problem.action_status,
        "action_due_on": problem.action_due_on,
        "status": problem.status,
    }


def _detail(
    request: HttpRequest,
    actor: User,
    problem: Problem,
    *,
    form: ProblemForm | None = None,
    link_form: ProblemLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    errors: list[str] = []
    try:
        cases = problem_cases(
            actor=actor, problem=problem, cursor=request.GET.get("cursor") or None
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        cases = problem_cases(actor=actor, problem=problem)
    context = {
        "problem": problem,
        "cases": cases,
        "errors": errors,
        "can_manage": can_manage_problems(actor),
        "form": form or ProblemForm(initial=_initial(problem), auto_id="problem_%s"),
        "link_form": link_form or ProblemLinkForm(auto_id="problem_link_%s"),
    }
    return render(request, "quality/problem_detail.html", context, status=status)


@access(SUPERVISORS)
@login_required
@require_GET
def problem_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = quality_staff(request)
    return _detail(request, actor, _problem_or_404(actor, pk))


@access(SUPERVISORS)
@login_required
@require_POST
def problem_update_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = quality_staff(request)
    problem = _problem_or_404(actor, pk)
    form = ProblemForm(request.POST, auto_id="problem_%s")
    if not form.is_valid():
        return _detail(request, actor, problem, form=form, status=422)
    data = dict(form.cleaned_data)
    version = data.pop("version")
    try:
        problem_update(actor=actor, problem=problem, expected_version=version, **data)
    except ApplicationError as exc:
        form_apply_error(form, exc)
        return _detail(request, actor, problem, form=form, status=exc.status)
    messages.success(request, _("The problem is saved."))
    return redirect("quality:problem_detail", pk=pk)


@access(SUPERVISORS)
@login_required
@require_POST
def problem_link_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = quality_staff(request)
    problem = _problem_or_404(actor, pk)
    form = ProblemLinkForm(request.POST, auto_id="problem_link_%s")
    if form.is_valid():
        try:
            case = case_get_by_reference(
                actor=actor, reference=form.cleaned_data["reference"]
            )
            problem_link_case(actor=actor, problem=problem, case=case)
        except ApplicationError as exc:
            form_apply_error(form, exc)
            return _detail(request, actor, problem, link_form=form, status=exc.status)
        messages.success(request, _("The case is linked."))
        return redirect("quality:problem_detail", pk=pk)
    return _detail(request, actor, problem, link_form=form, status=422)
