"""Merging cases (from the inbox selection or the case page: a confirmation page
choosing the case to keep), splitting messages off into a new case, and undoing
either (a confirmation page, linked from the flash message and the case page)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amiable.accounts.models import User
from amiable.cases.merge_forms import CaseMergeForm, CaseSplitForm
from amiable.cases.models import Case, CaseMerge, CaseMergeKind
from amiable.cases.selectors import CaseFilters, case_list, case_merge_get
from amiable.cases.services import (
    case_merge,
    case_merge_undo,
    case_split,
    undo_deadline,
)
from amiable.conversations.models import Channel
from amiable.conversations.selectors import interaction_list
from amiable.core.access import STAFF, TEAM, access
from amiable.core.clock import now
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.web.requests import case_or_404, form_apply_error, request_actor

ALIASES = {"case_ids": "cases", "interaction_ids": "messages", "case": "messages"}


def _undo_flash(request: HttpRequest, text: str, merge: CaseMerge) -> None:
    """A success message with a link to undo."""
    message: SafeString = format_html(
        '{} <a href="{}" data-testid="undo-link">{}</a>',
        text,
        reverse("cases:merge_undo", args=[merge.pk]),
        _("Undo"),
    )
    messages.success(request, message)


def _selection(actor: User, form: CaseMergeForm) -> list[Case]:
    """The posted cases the actor sees, oldest first (the default case to keep)."""
    ids = [
        int(token.split(":")[0])
        for token in form.tokens()
        if token.split(":")[0].isdigit()
    ]
    found = case_list(actor=actor, filters=CaseFilters()).in_bulk(ids[:100])
    return sorted(found.values(), key=lambda case: (case.opened_at, case.pk))


def _return_url(request: HttpRequest, form: CaseMergeForm) -> str:
    """Where cancelling goes back: the page the selection came from (same site)."""
    target = str(form["next"].value() or "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("cases:inbox")


def merge_page(
    request: HttpRequest, actor: User, form: CaseMergeForm, *, status: int = 200
) -> HttpResponse:
    """The confirmation page: the selected cases, one to keep, what will happen."""
    cases = _selection(actor, form)
    chosen = str(form["target"].value() or (cases[0].pk if cases else ""))
    context: dict[str, Any] = {
        "form": form,
        "cases": cases,
        "tokens": form.tokens(),
        "chosen": chosen,
        "mixed_customers": len({case.customer_id for case in cases}) > 1,
        "missing": len(form.tokens()) - len(cases),
        "next_url": _return_url(request, form),
    }
    return render(request, "cases/merge_confirm.html", context, status=status)


@access(STAFF)
@login_required
@require_POST
def case_merge_view(request: HttpRequest) -> HttpResponse:
    """Confirm, then merge, the selected cases into the one chosen to keep."""
    actor = request_actor(request)
    form = CaseMergeForm(request.POST)
    if not form.is_valid():
        return merge_page(request, actor, form, status=422)
    if not form.cleaned_data["confirmed"]:
        return merge_page(request, actor, form)
    visible = {case.pk: case for case in _selection(actor, form)}
    ids = [item.case_id for item in form.cleaned_data["cases"]]
    try:
        if any(pk not in visible for pk in ids):
            raise NotFoundError(
                _("Some of the selected cases cannot be found."),
                fields={"cases": [_("No such case.")]},
            )
        target = visible[form.cleaned_data["target"]]
        result = case_merge(
            actor=actor,
            target=target,
            sources=[visible[pk] for pk in ids if pk != target.pk],
        )
    except ApplicationError as exc:
        form_apply_error(form, exc, aliases=ALIASES)
        return merge_page(request, actor, form, status=exc.status)
    _undo_flash(
        request,
        _("%(cases)s merged into %(target)s.")
        % {
            "cases": ", ".join(case.reference for case in result.sources),
            "target": target.reference,
        },
        result.merge,
    )
    return redirect("cases:detail", pk=target.pk)


def _split_page(
    request: HttpRequest, case: Case, form: CaseSplitForm, status: int = 200
) -> HttpResponse:
    chosen = [str(value) for value in form["messages"].value() or []]
    context = {
        "case": case,
        "form": form,
        "interactions": form.interactions,  # type: ignore[attr-defined]
        "chosen": chosen,
    }
    return render(request, "cases/split.html", context, status=status)


@access(TEAM)
@login_required
@require_http_methods(["GET", "POST"])
def case_split_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose messages of the case (GET, ``?messages=`` preselects) and move them
    to a new case of the same customer (POST)."""
    actor = request_actor(request)
    case = case_or_404(actor, pk)
    interactions = list(
        interaction_list(actor=actor, case_id=case.pk)
        .exclude(channel=Channel.SYSTEM)
        .order_by("occurred_at", "id")
    )
    ids = [interaction.pk for interaction in interactions]
    if request.method == "GET":
        form = CaseSplitForm(
            initial={
                "subject": case.subject,
                "version": case.version,
                "messages": request.GET.getlist("messages"),
            },
            message_ids=ids,
        )
        form.interactions = interactions  # type: ignore[attr-defined]
        return _split_page(request, case, form)
    form = CaseSplitForm(request.POST, message_ids=ids)
    form.interactions = interactions  # type: ignore[attr-defined]
    if not form.is_valid():
        return _split_page(request, case, form, status=422)
    try:
        result = case_split(
            actor=actor,
            case=case,
            interaction_ids=form.cleaned_data["messages"],
            subject=form.cleaned_data["subject"],
            expected_version=form.cleaned_data["version"],
        )
    except ApplicationError as exc:
        form_apply_error(form, exc, aliases=ALIASES)
        return _split_page(request, case, form, status=exc.status)
    _undo_flash(
        request,
        _("Messages moved from %(origin)s to the new case %(case)s.")
        % {"origin": case.reference, "case": result.case.reference},
        result.merge,
    )
    return redirect("cases:detail", pk=result.case.pk)


@access(TEAM)
@login_required
@require_http_methods(["GET", "POST"])
def case_merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    """What undoing will restore (GET), and undoing it (POST)."""
    actor = request_actor(request)
    try:
        merge = case_merge_get(actor=actor, merge_id=pk)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
    error = ""
    status = 200
    if request.method == "POST":
        try:
            case_merge_undo(actor=actor, merge=merge)
        except ApplicationError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("Undone: every case has what it had before."))
            back = (
                merge.origin_id
                if merge.kind == CaseMergeKind.SPLIT
                else merge.target_id
            )
            return redirect("cases:detail", pk=back)
    context = {
        "merge": merge,
        "sources": [row.case for row in merge.sources.select_related("case")],
        "deadline": undo_deadline(merge),
        "is_open": merge.undone_at is None and now() <= undo_deadline(merge),
        "error": error,
    }
    return render(request, "cases/merge_undo.html", context, status=status)
