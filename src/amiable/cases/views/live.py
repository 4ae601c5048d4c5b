"""The live case page and inbox: cheap polls answering 204 while nothing changed,
else the changed fragments; presence beats; the unread mark cleared.

The case page polls ``cases:live`` every few seconds with the mark it was drawn
at (``CaseMark.token``) and the presence it shows. Unchanged: 204, one query.
Changed: its header, timeline and handling facts out of band, the presence line,
and, when a colleague answered the customer after what the reply form was drawn
with (``seen``), a warning in the composer.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.presence import (
    PresenceState,
    case_presence_beat,
    case_presence_list,
    presence_signature,
)
from amiable.cases.selectors import SORTS, case_list, category_list
from amiable.cases.selectors.live import (
    CaseMark,
    case_mark,
    case_page_mark,
    case_replies_since,
    case_unread_ids,
    inbox_page_fingerprint,
    inbox_page_marks,
)
from amiable.cases.services.unread import case_unread_clear
from amiable.cases.views.inbox import INBOX_PAGE_SIZE, case_inbox_view
from amiable.cases.views.inbox_query import inbox_query
from amiable.conversations.selectors import interaction_list
from amiable.core.access import STAFF, TEAM, access
from amiable.web.requests import case_or_404 as _case_or_404
from amiable.web.requests import request_actor as _actor

NO_CONTENT = 204


def live_context(actor: User, case_id: int, mark: CaseMark | None) -> dict[str, Any]:
    """What the poller and the presence line need (the page and each poll)."""
    people = case_presence_list(case_id=case_id, actor=actor)
    return {
        "case_id": case_id,
        "mark": mark,
        "people": people,
        "presence_signature": presence_signature(people),
    }


def case_page_live_context(actor: User, case: Case) -> dict[str, Any]:
    """The case page's part: the agent is now viewing the case (a beat), and the
    mark the page is drawn at (the reply form's ``seen``)."""
    case_presence_beat(case_id=case.pk, user=actor, state=PresenceState.VIEWING)
    context = live_context(actor, case.pk, case_page_mark(actor=actor, case=case))
    context["is_unread"] = bool(case_unread_ids(actor=actor, case_ids=[case.pk]))
    return context


def _category_label(actor: User, code: str) -> str:
    if not code:
        return ""
    language = get_language() or "fr"
    for entry in category_list(actor=actor).filter(code=code):
        if entry.parent:
            return f"{entry.parent.name_in(language)} › {entry.name_in(language)}"
        return entry.name_in(language)
    return code


def _seen(request: HttpRequest) -> int | None:
    value = request.GET.get("seen", "")
    return int(value) if value.isdigit() else None


@access(TEAM)
@login_required
@require_GET
def case_live_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Poll: 204 when neither the case nor who is on it changed since ``mark``
    and ``presence``; else the new presence line and the changed fragments."""
    actor = _actor(request)
    mark = case_mark(actor=actor, case_id=pk)
    if mark is None:
        raise Http404(_("No such case."))
    case_presence_beat(case_id=pk, user=actor, state=PresenceState.VIEWING)
    context = live_context(actor, pk, mark)
    is_changed = request.GET.get("mark") != mark.token
    if not is_changed and request.GET.get("presence") == context["presence_signature"]:
        return HttpResponse(status=NO_CONTENT)
    if is_changed:
        case = _case_or_404(actor, pk)
        seen = _seen(request)
        context |= {
            "case": case,
            "is_changed": True,
            "interactions": interaction_list(actor=actor, case_id=pk).order_by(
                "occurred_at", "id"
            ),
            "category_label": _category_label(actor, case.category),
            "root_cause_label": case.root_cause.name_in(get_language() or "fr")
            if case.root_cause
            else "",
            "replies_meanwhile": []
            if seen is None
            else list(case_replies_since(case=case, after_id=seen, actor=actor)),
            # Seen live by the assignee: the customer's new message is read.
            "is_unread": bool(case_unread_ids(actor=actor, case_ids=[pk])),
        }
    return render(request, "cases/partials/live.html", context)


@access(TEAM)
@login_required
@require_POST
def case_presence_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The agent is typing a reply (sent while they type, a few seconds apart)."""
    actor = _actor(request)
    if case_mark(actor=actor, case_id=pk) is None:
        raise Http404(_("No such case."))
    case_presence_beat(case_id=pk, user=actor, state=PresenceState.TYPING)
    return HttpResponse(status=NO_CONTENT)


@access(TEAM)
@login_required
@require_POST
def case_mark_read_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The assignee opened the case: the customer's new messages are read."""
    actor = _actor(request)
    case = _case_or_404(actor, pk)
    case_unread_clear(actor=actor, case=case)
    return HttpResponse(status=NO_CONTENT)


@access(STAFF)
@login_required
@require_GET
def case_inbox_changes_view(request: HttpRequest) -> HttpResponse:
    """Poll of the inbox's first page: 204 while its cases and their versions are
    those of ``since`` (one indexed query), else the refreshed results."""
    actor = _actor(request)
    query, _form = inbox_query(request.GET, actor=actor)
    marks = inbox_page_marks(
        case_list(actor=actor, filters=query.filters),
        ordering=SORTS[query.sort],
        limit=INBOX_PAGE_SIZE,
    )
    if inbox_page_fingerprint(marks) == request.GET.get("since"):
        return HttpResponse(status=NO_CONTENT)
    return case_inbox_view(request)
