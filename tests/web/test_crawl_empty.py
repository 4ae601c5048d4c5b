"""With no data at all (staff, no customer, no case), every list page renders and
says it is empty, for every staff role, in both languages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse

from amiable.accounts.models import User
from tests.web.crawling import crawl

# The list pages, by URL name, each with an empty state. (The workload lists the
# team's agents, who exist even when no case does.)
LIST_PAGES = {
    "cases:inbox",
    "cases:quality_queue",
    "cases:supervisor_queue",
    "customers:list",
    "customers:duplicates",
    "disputes:list",
    "disputes:deadlines",
    "disputes:costs",
    "feedback:results",
    "gestures:list",
    "gestures:approvals",
    "gestures:budgets",
    "gestures:reports",
    "gestures:campaigns",
    "inbound:reviews",
    "notifications:list",
    "promises:list",
    "quality:problem_list",
    "quality:incident_list",
    "quality:fcr",
}
ROLES = ["agent", "supervisor", "quality_manager", "admin_user"]


def _url_name(url: str) -> str:
    match = resolve(url.split("?")[0])
    return f"{match.namespace}:{match.url_name}"


@pytest.mark.parametrize(
    ("role", "language"), [*((role, "fr") for role in ROLES), ("admin_user", "en")]
)
def test_every_list_page_shows_its_empty_state(
    db: None, request: pytest.FixtureRequest, role: str, language: str
) -> None:
    user: User = request.getfixturevalue(role)
    client = Client(raise_request_exception=False)
    client.force_login(user)

    report = crawl(client, [reverse("cases:inbox")], language=language)

    failing = [
        f"{page.status} {page.url}" for page in report.pages if page.status >= 400
    ]
    lists = {
        _url_name(url): html
        for url, html in report.html.items()
        if "?" not in url and _url_name(url) in LIST_PAGES
    }
    without_empty_state = sorted(
        name for name, html in lists.items() if 'class="empty-state' not in html
    )
    assert failing == []
    assert without_empty_state == []
    if role == "admin_user":
        assert sorted(LIST_PAGES - lists.keys()) == []
