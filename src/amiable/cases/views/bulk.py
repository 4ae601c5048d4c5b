"""Bulk actions of the inbox: the selection is posted here, a confirmation page
lists the cases and what will happen, and only the confirmed post changes them
(one case at a time through ``case_bulk_apply``), then back to the inbox with a
report: how many changed, and each case refused with its reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from amiable.accounts.models import User
from amiable.accounts.permissions import can_assign_others
from amiable.accounts.selectors import user_list_assignable
from amiable.cases.forms import CASE_TOKEN, BulkActionForm
from amiable.cases.merge_forms import MERGE_ACTION, CaseMergeForm
from amiable.cases.models import Case
from amiable.cases.selectors import CaseFilters, case_list
from amiable.cases.services import (
    BulkOutcomeKind,
    BulkResult,
    bulk_check,
    case_bulk_apply,
)
from amiable.cases.views.bulk_choices import bulk_action_choices, bulk_action_label
from amiable.cases.views.merging import merge_page
from amiable.core.access import STAFF, access
from amiable.core.errors import ApplicationError
from amiable.web.requests import request_actor as _actor


def _return_url(request: HttpRequest) -> str:
    """Where to go back: the inbox the selection came from (same site only)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("cases:inbox")


def _selected_cases(actor: User, tokens: list[str]) -> tuple[list[Case], int]:
    """The posted cases the actor sees, in the order posted, and how many of the
    posted ones are not among them."""
    ids = []
    for token in tokens:
        match = CASE_TOKEN.match(token)
        if match is not None:
            ids.append(int(match[1]))
    found = case_list(actor=actor, filters=CaseFilters()).in_bulk(ids[:100])
    cases = [found[pk] for pk in dict.fromkeys(ids) if pk in found]
    return cases, len(tokens) - len(cases)


def _confirm_page(
    request: HttpRequest,
    actor: User,
    form: BulkActionForm,
    *,
    action_label: str = "",
    status: int = 200,
) -> HttpResponse:
    tokens = request.POST.getlist("cases")
    cases, missing = _selected_cases(actor, tokens)
    context: dict[str, Any] = {
        "form": form,
        "tokens": tokens,
        "cases": cases,
        "missing": missing,
        "action_value": request.POST.get("action", ""),
        "tag_value": request.POST.get("tag", "")[:60],
        "action_label": action_label,
        "return_url": _return_url(request),
        "bulk_actions": bulk_action_choices(
            user_list_assignable(actor=actor) if can_assign_others(actor) else None
        ),
    }
    return render(request, "cases/bulk_confirm.html", context, status=status)


def _report(request: HttpRequest, result: BulkResult) -> None:
    changed = result.count(BulkOutcomeKind.CHANGED)
    unchanged = result.count(BulkOutcomeKind.UNCHANGED)
    if changed:
        messages.success(
            request,
            ngettext("%(count)d case changed.", "%(count)d cases changed.", changed)
            % {"count": changed},
        )
    if unchanged:
        messages.info(
            request,
            ngettext(
                "%(count)d case was already so.",
                "%(count)d cases were already so.",
                unchanged,
            )
            % {"count": unchanged},
        )
    for item in result.refused:
        messages.error(
            request,
            _("%(case)s not changed: %(reason)s")
            % {
                "case": item.reference or _("Case #%(id)d") % {"id": item.case_id},
                "reason": item.message,
            },
        )


@access(STAFF)
@login_required
@require_POST
def case_bulk_view(request: HttpRequest) -> HttpResponse:
    """Confirm, then apply, a bulk action on the selected cases."""
    actor = _actor(request)
    if request.POST.get("action") == MERGE_ACTION:  # its own confirmation page
        return merge_page(request, actor, CaseMergeForm(request.POST))
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        return _confirm_page(request, actor, form, status=422)
    targets = form.cleaned_data["cases"]
    action = form.cleaned_data["action"]
    try:
        assignee = bulk_check(actor=actor, targets=targets, action=action)
    except ApplicationError as exc:
        form.add_error(None, exc.message)
        return _confirm_page(request, actor, form, status=422)
    if not form.cleaned_data["confirmed"]:
        label = bulk_action_label(action, assignee)
        return _confirm_page(request, actor, form, action_label=label)
    _report(request, case_bulk_apply(actor=actor, targets=targets, action=action))
    return redirect(_return_url(request))
