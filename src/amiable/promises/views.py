"""Promise pages: the case panel's actions (make, renegotiate, keep, cancel, the
live suggestion) and the list of promises to watch.

Panel actions answer an htmx request with the refreshed panel (the form bound,
with its messages, on failure); a plain request is redirected to the case."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.core.access import STAFF, TEAM, access
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.core.pagination import paginate
from amiable.promises.errors import PromiseSoonerThanSuggestedError
from amiable.promises.forms import (
    LOCAL_INPUT,
    PromiseCancelForm,
    PromiseKeepForm,
    PromiseListForm,
    PromiseMakeForm,
    PromisePresetForm,
    PromiseRenegotiateForm,
)
from amiable.promises.models import Promise, PromiseKind
from amiable.promises.presentation import case_panel_context, preset_resolve
from amiable.promises.selectors import PromiseFilters, promise_get, promise_list
from amiable.promises.services import (
    promise_cancel,
    promise_keep,
    promise_make,
    promise_renegotiate,
)
from amiable.promises.suggestions import promise_suggest
from amiable.web.requests import case_or_404, form_apply_error, is_htmx, request_actor

LIST_PAGE_SIZE = 30
PANEL = "promises/panels/case.html"


def _promise_or_404(actor: User, promise_id: int) -> Promise:
    try:
        return promise_get(actor=actor, promise_id=promise_id)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc


def _panel(
    request: HttpRequest,
    actor: User,
    case: Case,
    *,
    status: int = 200,
    notice: str = "",
    **context: Any,
) -> HttpResponse:
    if not is_htmx(request) and status == 200:
        if notice:
            messages.success(request, notice)
        return redirect("cases:detail", pk=case.pk)
    return render(
        request,
        PANEL,
        case_panel_context(actor=actor, case=case, notice=notice, **context),
        status=status,
    )


@access(TEAM)
@login_required
@require_POST
def promise_make_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """Make a promise from a preset (one click) or from the form."""
    actor = request_actor(request)
    case = case_or_404(actor, case_id)
    if "preset" in request.POST:
        preset_form = PromisePresetForm(request.POST)
        choice = (
            preset_resolve(
                preset_form.cleaned_data["preset"],
                language=case.customer.preferred_language or "fr",
            )
            if preset_form.is_valid()
            else None
        )
        if choice is None:
            return _panel(request, actor, case, status=422)
        data = {
            "kind": choice.kind,
            "description": choice.description,
            "due_at": choice.due_at,
            "is_sooner_confirmed": preset_form.cleaned_data["is_sooner_confirmed"],
        }
        echo = {"preset": preset_form.cleaned_data["preset"]}
        form: forms.Form = PromiseMakeForm(auto_id="promise_%s")
    else:
        form = PromiseMakeForm(request.POST, auto_id="promise_%s")
        if not form.is_valid():
            kind = request.POST.get("kind", PromiseKind.CALLBACK)
            kind = kind if kind in PromiseKind.values else PromiseKind.CALLBACK
            return _panel(request, actor, case, status=422, form=form, kind=kind)
        data = form.cleaned_data
        echo = {
            "kind": data["kind"],
            "description": data["description"],
            "due_at": timezone.localtime(data["due_at"]).strftime(LOCAL_INPUT),
        }
    try:
        promise_make(
            actor=actor,
            case=case,
            kind=data["kind"],
            description=data["description"],
            due_at=data["due_at"],
            is_sooner_confirmed=bool(data["is_sooner_confirmed"]),
        )
    except PromiseSoonerThanSuggestedError as exc:
        return _panel(
            request,
            actor,
            case,
            status=422,
            kind=data["kind"],
            confirm={"message": exc.message, "fields": echo},
        )
    except ApplicationError as exc:
        if "preset" in echo:
            return _panel(request, actor, case, status=exc.status, notice="")
        form_apply_error(form, exc)
        return _panel(
            request, actor, case, status=exc.status, form=form, kind=data["kind"]
        )
    return _panel(request, actor, case, notice=_("Promise recorded."))


@access(TEAM)
@login_required
@require_GET
def promise_suggest_view(request: HttpRequest, case_id: int) -> HttpResponse:
    """The realistic due time of a promise type on this case (htmx fragment)."""
    actor = request_actor(request)
    case = case_or_404(actor, case_id)
    kind = request.GET.get("kind", PromiseKind.CALLBACK)
    if kind not in PromiseKind.values:
        kind = PromiseKind.CALLBACK
    suggestion = promise_suggest(kind=kind, category=case.category, agent=actor)
    return render(
        request, "promises/panels/suggestion.html", {"suggestion": suggestion}
    )


def _promise_action(
    request: HttpRequest,
    promise_id: int,
    form_class: type[forms.Form],
    perform: Callable[[User, Promise, dict[str, Any]], str],
) -> HttpResponse:
    actor = request_actor(request)
    promise = _promise_or_404(actor, promise_id)
    case = promise.case
    form = form_class(request.POST, auto_id=f"renegotiate_{promise.pk}_%s")
    status = 422
    error: ApplicationError | None = None
    if form.is_valid():
        try:
            notice = perform(actor, promise, form.cleaned_data)
        except ApplicationError as exc:
            error = exc
            status = exc.status
            form_apply_error(form, exc)
        else:
            if case is None:
                messages.success(request, notice)
                return redirect("promises:list")
            return _panel(request, actor, case, notice=notice)
    if case is None:
        messages.error(request, error.message if error else _("Check the form."))
        return redirect("promises:list")
    bound = {promise.pk: form} if isinstance(form, PromiseRenegotiateForm) else {}
    return _panel(
        request,
        actor,
        case,
        status=status,
        renegotiate_errors=bound,
        notice="" if bound else (error.message if error else _("Check the form.")),
    )


def _renegotiate(actor: User, promise: Promise, data: dict[str, Any]) -> str:
    promise_renegotiate(
        actor=actor,
        promise=promise,
        due_at=data["due_at"],
        reason=data["reason"],
        is_customer_told=data["is_customer_told"],
        is_message_sent=data["is_message_sent"],
    )
    return _("Promise renegotiated.")


def _keep(actor: User, promise: Promise, data: dict[str, Any]) -> str:
    promise_keep(actor=actor, promise=promise, note=data["note"])
    return _("Promise marked kept.")


def _cancel(actor: User, promise: Promise, data: dict[str, Any]) -> str:
    promise_cancel(actor=actor, promise=promise, reason=data["reason"])
    return _("Promise cancelled.")


@access(TEAM)
@login_required
@require_POST
def promise_renegotiate_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _promise_action(request, pk, PromiseRenegotiateForm, _renegotiate)


@access(TEAM)
@login_required
@require_POST
def promise_keep_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _promise_action(request, pk, PromiseKeepForm, _keep)


@access(TEAM)
@login_required
@require_POST
def promise_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _promise_action(request, pk, PromiseCancelForm, _cancel)


@access(STAFF)
@login_required
@require_GET
def promise_list_view(request: HttpRequest) -> HttpResponse:
    """Promises to watch: live ones by due time (at risk and overdue first to the
    eye), filterable by state and type, one keyset page at a time."""
    actor = request_actor(request)
    form = PromiseListForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    states = tuple(data.get("state") or ())
    filters = PromiseFilters(
        states=states, kinds=tuple(data.get("kind") or ()), live_only=not states
    )
    errors: list[str] = []
    queryset = promise_list(actor=actor, filters=filters)
    try:
        page = paginate(
            queryset,
            ordering=("due_at", "id"),
            limit=LIST_PAGE_SIZE,
            cursor=data.get("cursor") or None,
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(queryset, ordering=("due_at", "id"), limit=LIST_PAGE_SIZE)
    return render(
        request,
        "promises/list.html",
        {"page": page, "form": form, "errors": errors, "now": timezone.now()},
    )
