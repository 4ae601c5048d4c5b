"""The case inbox: named views, filters, sort, keyset pages, counts, the last
message's preview, row selection for bulk actions, and saved views."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amiable.accounts.models import User
from amiable.accounts.permissions import can_assign_others
from amiable.accounts.selectors import team_list, user_list_assignable
from amiable.cases.forms import InboxFilterForm, SavedViewForm
from amiable.cases.models import Case, CaseStatus
from amiable.cases.selectors import (
    SORTS,
    case_counts_by_status,
    case_last_messages,
    case_list,
    custom_field_list,
    inbox_view_counts,
    inbox_views_for,
    saved_view_list,
    tag_list_in_use,
)
from amiable.cases.selectors.live import case_unread_ids, inbox_page_fingerprint
from amiable.cases.services import saved_view_delete, saved_view_save
from amiable.cases.views.bulk_choices import bulk_action_choices
from amiable.cases.views.inbox_query import (
    FILTER_PARAMS,
    inbox_query,
    selected_values,
)
from amiable.core.access import STAFF, access
from amiable.core.errors import ApplicationError
from amiable.core.pagination import paginate
from amiable.customers.models import Tag
from amiable.web.requests import is_htmx as _is_htmx
from amiable.web.requests import request_actor as _actor

INBOX_PAGE_SIZE = 25


@dataclass(frozen=True)
class InboxRow:
    case: Case
    preview: str  # the start of the last message, shown on hover
    is_unread: bool = False  # the customer wrote; the actor has not opened it since


@dataclass(frozen=True)
class ViewTab:
    name: str
    label: str
    url: str
    is_current: bool
    count: int | None = None


def _wants_results_only(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.boosted and htmx.target == "case-results"


def _view_tabs(
    actor: User, current: str, counts: dict[str, int] | None = None
) -> list[ViewTab]:
    inbox_url = reverse("cases:inbox")
    return [
        ViewTab(
            name=view.name,
            label=str(view.label),
            url=f"{inbox_url}?view={view.name}",
            is_current=view.name == current,
            count=None if counts is None else counts.get(view.name, 0),
        )
        for view in inbox_views_for(actor=actor)
    ]


@access(STAFF)
@login_required
@require_GET
def case_inbox_view(request: HttpRequest) -> HttpResponse:
    """List the cases the agent may see, in a view or filtered, one keyset page,
    with the selection and bulk actions."""
    actor = _actor(request)
    query, form = inbox_query(request.GET, actor=actor)
    queryset = case_list(actor=actor, filters=query.filters).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name"))
    )
    error = ""
    try:
        page = paginate(
            queryset,
            ordering=SORTS[query.sort],
            limit=INBOX_PAGE_SIZE,
            cursor=query.cursor,
        )
    except ApplicationError as exc:
        error = exc.message
        page = paginate(queryset, ordering=SORTS[query.sort], limit=INBOX_PAGE_SIZE)
    previews = case_last_messages(cases=page.items)
    unread = case_unread_ids(actor=actor, case_ids=[case.pk for case in page.items])
    assignees = user_list_assignable(actor=actor)
    context = {
        "page": page,
        "rows": [
            InboxRow(
                case=case,
                preview=previews.get(case.pk, ""),
                is_unread=case.pk in unread,
            )
            for case in page.items
        ],
        "form": form,
        "query": query,
        "error": error,
        "is_filtered": query.query_string != "view=all",
        "view_tabs": _view_tabs(actor, query.view),
        "counts_url": _with_query(reverse("cases:inbox_counts"), query.query_string),
        # The first page polls for changes (a new case, a reply, a status).
        "changes_url": ""
        if query.cursor
        else _with_query(reverse("cases:inbox_changes"), query.query_string),
        "fingerprint": inbox_page_fingerprint(
            (case.pk, case.version) for case in page.items
        ),
        "return_url": _with_query(reverse("cases:inbox"), query.query_string),
        "today": timezone.localdate().strftime("%Y%m%d"),
        "statuses": CaseStatus.choices,
        "kinds": InboxFilterForm.base_fields["kind"].choices,  # type: ignore[attr-defined]
        "priorities": InboxFilterForm.base_fields["priority"].choices,  # type: ignore[attr-defined]
        "sorts": InboxFilterForm.base_fields["sort"].choices,  # type: ignore[attr-defined]
        "sla_states": InboxFilterForm.base_fields["sla"].choices,  # type: ignore[attr-defined]
        "escalation_levels": InboxFilterForm.base_fields["escalation"].choices,  # type: ignore[attr-defined]
        "selected": selected_values(query),
        # Lazy querysets: only the full page (not the htmx results) evaluates them.
        "teams": team_list(actor=actor),
        "assignees": assignees,
        "bulk_actions": bulk_action_choices(
            assignees if can_assign_others(actor) else None
        ),
        "saved_views": saved_view_list(actor=actor),
        "custom_fields": custom_field_list(actor=actor),
        "known_tags": tag_list_in_use(actor=actor).values_list("name", flat=True)[:200],
        "saved_view_form": SavedViewForm(initial={"query": query.query_string}),
    }
    template = "cases/inbox.html"
    if _wants_results_only(request):
        template = "cases/inbox.html#results"
    return render(request, template, context)


def _with_query(url: str, query_string: str) -> str:
    return f"{url}?{query_string}" if query_string else url


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int
    url: str
    is_current: bool


@access(STAFF)
@login_required
@require_GET
def case_inbox_counts_view(request: HttpRequest) -> HttpResponse:
    """Counts per view, and per status for the current filters, loaded after the
    list itself."""
    actor = _actor(request)
    query, _form = inbox_query(request.GET, actor=actor)
    counts = case_counts_by_status(actor=actor, filters=query.filters)
    inbox_url = reverse("cases:inbox")
    base = QueryDict(query.query_string, mutable=True)
    base.pop("status", None)
    base.pop("view", None)
    rows = []
    for value, label in CaseStatus.choices:
        link = base.copy()
        link["status"] = value
        rows.append(
            StatusCount(
                value=value,
                label=str(label),
                count=counts.get(value, 0),
                url=_with_query(inbox_url, link.urlencode()),
                is_current=query.filters.statuses == (value,),
            )
        )
    all_statuses = base.copy()
    all_statuses.setlist("status", [])
    return render(
        request,
        "cases/inbox_counts.html",
        {
            "view_tabs": _view_tabs(actor, query.view, inbox_view_counts(actor=actor)),
            "rows": rows,
            "total": sum(counts.values()),
            "all_url": _with_query(inbox_url, base.urlencode() or "view=all"),
            "is_all": not query.filters.statuses,
        },
    )


def _saved_views_response(
    request: HttpRequest, *, form: SavedViewForm, status: int = 200
) -> HttpResponse:
    actor = _actor(request)
    return render(
        request,
        "cases/inbox.html#saved-views",
        {"saved_views": saved_view_list(actor=actor), "saved_view_form": form},
        status=status,
    )


@access(STAFF)
@login_required
@require_POST
def saved_view_save_view(request: HttpRequest) -> HttpResponse:
    """Save the current filters under a name (replacing a view of the same name)."""
    actor = _actor(request)
    form = SavedViewForm(request.POST)
    if form.is_valid():
        query = form.cleaned_data["query"]
        if any(name in request.POST for name in FILTER_PARAMS):
            # htmx sends the live filter form: it beats the query rendered earlier.
            query = inbox_query(request.POST, actor=actor)[0].query_string
        try:
            saved = saved_view_save(
                actor=actor, name=form.cleaned_data["name"], query=query
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            if _is_htmx(request):
                fresh = SavedViewForm(initial={"query": saved.query})
                return _saved_views_response(request, form=fresh)
            messages.success(
                request, _("View “%(name)s” saved.") % {"name": saved.name}
            )
            return redirect(_with_query(reverse("cases:inbox"), saved.query))
    if _is_htmx(request):
        return _saved_views_response(request, form=form, status=422)
    messages.error(request, _("The view could not be saved: give it a name."))
    return redirect(
        _with_query(reverse("cases:inbox"), request.POST.get("query", "")[:1000])
    )


@access(STAFF)
@login_required
@require_POST
def saved_view_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _actor(request)
    view = saved_view_list(actor=actor).filter(pk=pk).first()
    if view is None:
        raise Http404(_("No such saved view."))
    saved_view_delete(actor=actor, view=view)
    if _is_htmx(request):
        return _saved_views_response(request, form=SavedViewForm())
    messages.success(request, _("View deleted."))
    return redirect("cases:inbox")
