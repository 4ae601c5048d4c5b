"""The case inbox: filters, sort, keyset pages, counts, saved views, query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseKind, CasePriority, CaseStatus, SavedView
from amiable.cases.services import saved_view_save
from tests.factories import CaseFactory, CustomerFactory, UserFactory

INBOX = "/cases/"
ROW = re.compile(r'class="case-link"><strong>(C-\d{4}-\d{6})</strong>')


def references(response: object) -> list[str]:
    return ROW.findall(response.content.decode())  # type: ignore[attr-defined]


def make_cases(team: Team, count: int, **fields: object) -> list[Case]:
    start = timezone.now() - dt.timedelta(days=1)
    return [
        CaseFactory.create(
            team=team,
            opened_at=start + dt.timedelta(minutes=index),
            last_activity_at=start + dt.timedelta(minutes=index),
            **fields,
        )
        for index in range(count)
    ]


def test_inbox_lists_visible_cases_latest_activity_first(
    web_client: Client, team: Team, other_team: Team
) -> None:
    mine = make_cases(team, 3)
    make_cases(other_team, 2)

    response = web_client.get(INBOX, {"view": "all"})

    assert response.status_code == 200
    assert references(response) == [case.reference for case in reversed(mine)]


@pytest.mark.parametrize(
    ("params", "expected_index"),
    [
        ({"status": CaseStatus.WAITING_CUSTOMER}, 0),
        ({"kind": CaseKind.COMPLAINT}, 1),
        ({"priority": CasePriority.URGENT}, 2),
    ],
)
def test_inbox_filters_by_status_kind_and_priority(
    web_client: Client, team: Team, params: dict[str, str], expected_index: int
) -> None:
    special = [
        CaseFactory.create(team=team, status=CaseStatus.WAITING_CUSTOMER),
        CaseFactory.create(team=team, kind=CaseKind.COMPLAINT),
        CaseFactory.create(team=team, priority=CasePriority.URGENT),
    ]
    make_cases(team, 2)

    response = web_client.get(INBOX, params)

    assert references(response) == [special[expected_index].reference]


def test_inbox_filters_by_assignee_me_none_and_id(
    web_client: Client, agent: User, team: Team
) -> None:
    colleague = UserFactory.create(team=team)
    for_me = CaseFactory.create(team=team, assignee=agent)
    for_colleague = CaseFactory.create(team=team, assignee=colleague)
    unassigned = CaseFactory.create(team=team, assignee=None)

    me = web_client.get(INBOX, {"assignee": "me"})
    nobody = web_client.get(INBOX, {"assignee": "none"})
    by_id = web_client.get(INBOX, {"assignee": str(colleague.pk)})

    assert references(me) == [for_me.reference]
    assert references(nobody) == [unassigned.reference]
    assert references(by_id) == [for_colleague.reference]


def test_inbox_filters_by_team_and_text(supervisor_client: Client, team: Team) -> None:
    other = CaseFactory.create(team=None, subject="Colis jamais arrivé")
    in_team = CaseFactory.create(team=team, subject="Facture en double")

    by_team = supervisor_client.get(INBOX, {"team": str(team.pk)})
    by_text = supervisor_client.get(INBOX, {"q": "jamais"})
    by_reference = supervisor_client.get(INBOX, {"q": in_team.reference})

    assert references(by_team) == [in_team.reference]
    assert references(by_text) == [other.reference]
    assert references(by_reference) == [in_team.reference]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("-last_activity_at", [2, 1, 0]),
        ("last_activity_at", [0, 1, 2]),
        ("-opened_at", [0, 2, 1]),
        ("opened_at", [1, 2, 0]),
    ],
)
def test_inbox_sorts(
    web_client: Client, team: Team, sort: str, order: list[int]
) -> None:
    base = timezone.now() - dt.timedelta(days=3)
    opened = [3, 1, 2]
    cases = [
        CaseFactory.create(
            team=team,
            opened_at=base + dt.timedelta(hours=opened[index]),
            last_activity_at=base + dt.timedelta(days=1, hours=index),
        )
        for index in range(3)
    ]

    response = web_client.get(INBOX, {"sort": sort})

    assert references(response) == [cases[index].reference for index in order]


def test_inbox_keyset_pages_forward_and_back(web_client: Client, team: Team) -> None:
    cases = make_cases(team, 30)
    newest_first = [case.reference for case in reversed(cases)]

    first = web_client.get(INBOX, {"status": "open"})
    next_url = re.search(r'href="([^"]+)" rel="next"', first.content.decode())
    assert next_url is not None
    second = web_client.get(next_url.group(1).replace("&amp;", "&"))
    previous_url = re.search(r'href="([^"]+)" rel="prev"', second.content.decode())
    assert previous_url is not None
    back = web_client.get(previous_url.group(1).replace("&amp;", "&"))

    assert references(first) == newest_first[:25]
    assert references(second) == newest_first[25:]
    assert 'rel="next"' not in second.content.decode()
    assert references(back) == newest_first[:25]


def test_inbox_with_a_tampered_cursor_shows_page_one_and_a_message(
    web_client: Client, team: Team
) -> None:
    cases = make_cases(team, 2)

    response = web_client.get(INBOX, {"view": "all", "cursor": "not-a-cursor"})

    assert response.status_code == 200
    assert references(response) == [case.reference for case in reversed(cases)]
    assert "Le curseur n’est pas valide." in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"view": "all"}, "Aucun dossier pour l’instant."),
        ({"status": "closed"}, "Aucun dossier ne correspond à ces filtres."),
    ],
)
def test_inbox_empty_states(
    web_client: Client, params: dict[str, str], message: str
) -> None:
    response = web_client.get(INBOX, params)

    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.content.decode()
    assert message in response.content.decode()


def test_inbox_invalid_filter_is_reported_and_ignored(
    web_client: Client, team: Team
) -> None:
    cases = make_cases(team, 1)

    response = web_client.get(INBOX, {"status": "bogus"})

    assert references(response) == [cases[0].reference]
    assert "Certains filtres ont été ignorés" in response.content.decode()


def test_htmx_filter_change_returns_only_the_results(
    web_client: Client, team: Team
) -> None:
    make_cases(team, 2)

    response = web_client.get(
        INBOX,
        {"status": "open"},
        headers={"HX-Request": "true", "HX-Target": "case-results"},
    )

    content = response.content.decode()
    assert content.lstrip().startswith('<section id="case-results"')
    assert "<html" not in content
    assert len(references(response)) == 2


def test_counts_per_status_follow_the_other_filters(
    web_client: Client, team: Team
) -> None:
    make_cases(team, 3, status=CaseStatus.OPEN)
    make_cases(team, 2, status=CaseStatus.WAITING_CUSTOMER)
    make_cases(team, 1, status=CaseStatus.OPEN, kind=CaseKind.COMPLAINT)

    response = web_client.get(
        reverse("cases:inbox_counts"), {"kind": "question", "status": "open"}
    )

    content = response.content.decode()
    counts = dict(
        re.findall(r'data-status="(\w+)"[^>]*>[^<]*<span class="count">(\d+)', content)
    )
    assert counts == {
        "new": "0",
        "open": "3",
        "waiting_customer": "2",
        "waiting_third_party": "0",
        "resolved": "0",
        "closed": "0",
    }


def test_save_list_and_delete_a_saved_view(web_client: Client, agent: User) -> None:
    saved = web_client.post(
        reverse("cases:saved_view_save"),
        {"name": "Mes urgents", "query": "priority=urgent&assignee=me"},
    )
    listed = web_client.get(INBOX)
    view = SavedView.objects.get(user=agent)
    deleted = web_client.post(reverse("cases:saved_view_delete", args=[view.pk]))

    assert saved.status_code == 302
    assert saved.headers["Location"] == f"{INBOX}?priority=urgent&assignee=me"
    assert view.name == "Mes urgents"
    assert f'href="{INBOX}?priority=urgent&amp;assignee=me">Mes urgents</a>' in (
        listed.content.decode()
    )
    assert deleted.status_code == 302
    assert SavedView.objects.filter(user=agent).count() == 0


def test_htmx_save_takes_the_live_filters(web_client: Client, agent: User) -> None:
    response = web_client.post(
        reverse("cases:saved_view_save"),
        {"name": "Plaintes", "query": "stale=1", "kind": "complaint", "cursor": "x"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert 'id="saved-views"' in response.content.decode()
    assert SavedView.objects.get(user=agent).query == "kind=complaint"


def test_saving_a_view_without_name_is_refused(web_client: Client, agent: User) -> None:
    response = web_client.post(
        reverse("cases:saved_view_save"),
        {"name": "  ", "query": "kind=complaint"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.content.decode()
    assert SavedView.objects.filter(user=agent).count() == 0


def test_saved_views_are_private(
    web_client: Client, other_agent: User, agent: User
) -> None:
    theirs = saved_view_save(actor=other_agent, name="Leur vue", query="kind=dispute")

    listed = web_client.get(INBOX)
    deleted = web_client.post(reverse("cases:saved_view_delete", args=[theirs.pk]))

    assert "Leur vue" not in listed.content.decode()
    assert deleted.status_code == 404
    assert SavedView.objects.filter(pk=theirs.pk).count() == 1


def count_queries(client: Client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "params",
    [{}, {"view": "all"}, {"status": "open", "q": "a", "sort": "opened_at"}],
)
def test_inbox_query_count_does_not_grow_with_rows(
    supervisor_client: Client, supervisor: User, team: Team, params: dict[str, str]
) -> None:
    saved_view_save(actor=supervisor, name="Vue", query="status=open")
    for _index in range(5):
        CaseFactory.create(
            team=team,
            assignee=supervisor,
            subject="a",
            customer=CustomerFactory.create(),
        )
    with_five = count_queries(supervisor_client, INBOX, params)
    colleagues = [UserFactory.create(team=team) for _index in range(3)]
    for index in range(45):
        CaseFactory.create(team=team, assignee=colleagues[index % 3], subject="a")

    with_fifty = count_queries(supervisor_client, INBOX, params)

    # With the unread-notifications, approvals and supervisor-queue badges, one
    # query for the previews of the page's last messages, one for the rows' tags,
    # the tag and custom-field choices of the filters, and one for the unread
    # marks.
    assert with_five == with_fifty == 15


def test_counts_query_count_is_constant(web_client: Client, team: Team) -> None:
    make_cases(team, 5)
    with_five = count_queries(web_client, reverse("cases:inbox_counts"), {})
    make_cases(team, 45, status=CaseStatus.RESOLVED)

    with_fifty = count_queries(web_client, reverse("cases:inbox_counts"), {})

    # The status counts, and one indexed count per view (six for a team member).
    assert with_five == with_fifty == 9
