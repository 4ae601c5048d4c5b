"""The floor of a whole page: the same HTML built from raw SQL, without our code.

A page is more than its query: the SQL of inbox page 1 takes 0.1–0.3 ms, the page
30 ms, almost all of it rendering the template. Comparing the page to the bare query
says nothing about our code. This floor builds the *same page* the cheapest way the
stack allows: raw SQL for every list the page shows (the 25 cases with customer,
assignee and team, the team and assignee pickers, the saved views), plain objects
instead of model instances, and the same template rendered by Django's template
engine — no middleware, no session or authentication lookup, no ORM, no view code.
``ours / page floor`` is then the price of our ORM, selectors, forms, pagination and
middleware for an identical page.

What the floor still shares with ours (so the ratio flatters us slightly): the
template's own tags (the navigation's unread-notifications count runs one ORM query
in both), the filter form (a Django form, unbound here, bound in ours) and the list
of bulk actions (labels only).

The page is the « all cases » view (``?view=all``): every case, latest activity
first, with the preview of each row's last message (one more raw query).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.forms import InboxFilterForm, SavedViewForm
from amiable.cases.models import CaseKind, CasePriority, CaseStatus, SlaState
from amiable.cases.selectors import DEFAULT_SORT, INBOX_VIEWS
from amiable.cases.views.bulk_choices import bulk_action_choices
from amiable.core.pagination import encode_cursor

ROWS_SQL = (
    "SELECT c.id, c.reference, c.subject, c.kind, c.priority, c.status, "
    "c.last_activity_at, cu.id, cu.name, cu.customer_since, u.id, u.username, "
    "u.first_name, u.last_name, t.id, t.name, c.sla_state, c.sla_due_at, "
    "c.escalation_level, c.version FROM cases_case c "
    "JOIN customers_customer cu ON cu.id = c.customer_id "
    "LEFT JOIN accounts_user u ON u.id = c.assignee_id "
    "LEFT JOIN accounts_team t ON t.id = c.team_id "
    "ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 26"
)
TEAMS_SQL = "SELECT id, name FROM accounts_team ORDER BY name"
ASSIGNEES_SQL = (
    "SELECT u.id, u.username, u.first_name, u.last_name, t.name FROM accounts_user u "
    "LEFT JOIN accounts_team t ON t.id = u.team_id WHERE u.is_active "
    "ORDER BY u.first_name, u.last_name, u.username"
)
SAVED_VIEWS_SQL = "SELECT id, name, query FROM cases_savedview WHERE user_id = %s"
PREVIEWS_SQL = (
    "SELECT c.id, (SELECT substr(i.body_text, 1, 280) FROM conversations_interaction i"
    " WHERE i.case_id = c.id AND i.channel != 'system'"
    " ORDER BY i.occurred_at DESC, i.id DESC LIMIT 1) FROM cases_case c"
    " WHERE c.id IN ({ids})"
)
KIND_LABELS = dict(CaseKind.choices)
STATUS_LABELS = dict(CaseStatus.choices)
PRIORITY_LABELS = dict(CasePriority.choices)
SLA_LABELS = dict(SlaState.choices)


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    parsed = dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _person(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def _rows(cursor: Any) -> list[SimpleNamespace]:
    cursor.execute(ROWS_SQL)
    cases = []
    for row in cursor.fetchall():
        (pk, reference, subject, kind, priority, status, activity) = row[:7]
        version = row[19]
        (customer_id, customer_name, since, user_id, username, first, last) = row[7:14]
        team_id, team_name, sla_state, sla_due_at, escalation_level = row[14:19]
        cases.append(
            SimpleNamespace(
                pk=pk,
                version=version,
                reference=reference,
                subject=subject,
                priority=priority,
                status=status,
                last_activity_at=_moment(activity),
                get_kind_display=KIND_LABELS.get(kind, kind),
                get_status_display=STATUS_LABELS.get(status, status),
                get_priority_display=PRIORITY_LABELS.get(priority, priority),
                sla_state=sla_state,
                sla_due_at=_moment(sla_due_at) if sla_due_at else None,
                get_sla_state_display=SLA_LABELS.get(sla_state, sla_state),
                escalation_level=escalation_level,
                customer=SimpleNamespace(
                    pk=customer_id, name=customer_name, customer_since=_day(since)
                ),
                assignee=SimpleNamespace(display_name=_person(first, last, username))
                if user_id
                else None,
                team=SimpleNamespace(pk=team_id, name=team_name) if team_id else None,
            )
        )
    return cases


def _previews(cursor: Any, items: list[SimpleNamespace]) -> dict[int, str]:
    if not items:
        return {}
    ids = ", ".join(str(int(item.pk)) for item in items)
    cursor.execute(PREVIEWS_SQL.format(ids=ids))
    return {pk: " ".join(text.split()) for pk, text in cursor.fetchall() if text}


def inbox_page_floor(user: User) -> Callable[[], str]:
    """A callable that builds inbox page 1 of « all cases » for ``user`` (an
    administrator, who sees every case) from raw SQL and renders it with the
    inbox template."""
    template = get_template("cases/inbox.html")
    factory = RequestFactory()
    inbox_url = reverse("cases:inbox")
    counts_url = reverse("cases:inbox_counts")
    form_class = InboxFilterForm
    view_tabs = [
        SimpleNamespace(
            name=view.name,
            label=str(view.label),
            url=f"{inbox_url}?view={view.name}",
            is_current=view.name == "all",
            count=None,
        )
        for view in INBOX_VIEWS
        if view.name != "team" or user.team_id is not None
    ]

    def build() -> str:
        request = factory.get(f"{inbox_url}?view=all")
        request.user = user
        request._messages = CookieStorage(request)  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            rows = _rows(cursor)
            cursor.execute(TEAMS_SQL)
            teams = [SimpleNamespace(pk=pk, name=name) for pk, name in cursor]
            cursor.execute(ASSIGNEES_SQL)
            assignees = [
                SimpleNamespace(
                    pk=pk,
                    display_name=_person(first, last, username),
                    team=SimpleNamespace(name=team) if team else None,
                )
                for pk, username, first, last, team in cursor.fetchall()
            ]
            cursor.execute(SAVED_VIEWS_SQL, [user.pk])
            saved = [SimpleNamespace(pk=pk, name=n, query=q) for pk, n, q in cursor]
            items, more = rows[:25], len(rows) > 25
            previews = _previews(cursor, items)
        last = items[-1] if items else None
        page = SimpleNamespace(
            items=items,
            previous_cursor=None,
            next_cursor=encode_cursor([last.last_activity_at, last.pk])
            if more and last
            else None,
        )
        context = {
            "page": page,
            "rows": [
                SimpleNamespace(case=item, preview=previews.get(item.pk, ""))
                for item in items
            ],
            "form": form_class(),
            "error": "",
            "is_filtered": False,
            "view_tabs": view_tabs,
            "counts_url": f"{counts_url}?view=all",
            "return_url": f"{inbox_url}?view=all",
            "today": timezone.localdate().strftime("%Y%m%d"),
            "statuses": CaseStatus.choices,
            "kinds": form_class.base_fields["kind"].choices,  # type: ignore[attr-defined]
            "priorities": form_class.base_fields["priority"].choices,  # type: ignore[attr-defined]
            "sorts": form_class.base_fields["sort"].choices,  # type: ignore[attr-defined]
            "sla_states": form_class.base_fields["sla"].choices,  # type: ignore[attr-defined]
            "escalation_levels": form_class.base_fields["escalation"].choices,  # type: ignore[attr-defined]
            "selected": {
                "status": [],
                "kind": [],
                "priority": [],
                "team": "",
                "assignee": "",
                "sla": [],
                "escalation": [],
                "q": "",
                "sort": DEFAULT_SORT,
            },
            "teams": teams,
            "assignees": assignees,
            "bulk_actions": bulk_action_choices(assignees),  # type: ignore[arg-type]
            "saved_views": saved,
            "saved_view_form": SavedViewForm(initial={"query": "view=all"}),
        }
        return template.render(context, request)

    return build


REFERENCE = re.compile(r'class="case-link"><strong>([^<]+)</strong>')


def references_of(html: str) -> list[str]:
    """The case references a rendered inbox lists, in order (to check that the
    floor and ours built the same page)."""
    return REFERENCE.findall(html)
