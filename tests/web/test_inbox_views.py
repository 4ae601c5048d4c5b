"""The inbox's named views (« my unsolved » by default), several statuses at once,
default values that are no error, older saved queries, the last message's preview
and the selection checkboxes."""

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
from amiable.cases.models import Case, CaseStatus, SlaState
from amiable.conversations.models import Channel, Direction
from tests.factories import CaseFactory, InteractionFactory, UserFactory

INBOX = "/cases/"
ROW = re.compile(r'class="case-link"><strong>(C-\d{4}-\d{6})</strong>')
# What the filter form sends when nothing is chosen (the « any » options).
DEFAULT_FORM = {
    "q": "",
    "kind": "",
    "priority": "",
    "team": "",
    "assignee": "",
    "sla": "",
    "escalation": "",
    "sort": "-last_activity_at",
}


def references(response: object) -> list[str]:
    return ROW.findall(response.content.decode())  # type: ignore[attr-defined]


def case_at(minutes_ago: int, **fields: object) -> Case:
    moment = timezone.now() - dt.timedelta(minutes=minutes_ago)
    return CaseFactory.create(opened_at=moment, last_activity_at=moment, **fields)


@pytest.fixture
def spread(agent: User, team: Team, other_team: Team) -> dict[str, Case]:
    """One case of each kind of situation the views tell apart."""
    colleague = UserFactory.create(team=team)
    return {
        "mine_new": case_at(1, team=team, assignee=agent, status=CaseStatus.NEW),
        "mine_waiting": case_at(
            2, team=team, assignee=agent, status=CaseStatus.WAITING_CUSTOMER
        ),
        "mine_third": case_at(
            3, team=team, assignee=agent, status=CaseStatus.WAITING_THIRD_PARTY
        ),
        "mine_closed": case_at(0, team=team, assignee=agent, status=CaseStatus.CLOSED),
        "mine_resolved": case_at(
            4, team=team, assignee=agent, status=CaseStatus.RESOLVED
        ),
        "unassigned": case_at(5, team=team, assignee=None),
        "colleague_at_risk": case_at(
            6, team=team, assignee=colleague, sla_state=SlaState.AT_RISK
        ),
        "unteamed_breached": case_at(
            7, team=None, assignee=None, sla_state=SlaState.BREACHED
        ),
        "other_team": case_at(8, team=other_team, assignee=None),
    }


def refs(spread: dict[str, Case], *names: str) -> list[str]:
    return [spread[name].reference for name in names]


def test_the_default_view_is_my_unsolved_cases_latest_first(
    web_client: Client, spread: dict[str, Case]
) -> None:
    response = web_client.get(INBOX)

    content = response.content.decode()
    assert references(response) == refs(
        spread, "mine_new", "mine_waiting", "mine_third"
    )
    assert 'data-view="mine" aria-current="page"' in content
    assert "Certains filtres ont été ignorés" not in content


@pytest.mark.parametrize(
    ("view", "expected"),
    [
        ("mine", ["mine_new", "mine_waiting", "mine_third"]),
        ("unassigned", ["unassigned", "unteamed_breached"]),
        (
            "team",
            [
                "mine_new",
                "mine_waiting",
                "mine_third",
                "unassigned",
                "colleague_at_risk",
            ],
        ),
        ("at_risk", ["colleague_at_risk"]),
        ("breached", ["unteamed_breached"]),
        (
            "all",
            [
                "mine_closed",
                "mine_new",
                "mine_waiting",
                "mine_third",
                "mine_resolved",
                "unassigned",
                "colleague_at_risk",
                "unteamed_breached",
            ],
        ),
    ],
)
def test_each_view_lists_its_cases_and_is_marked_current(
    web_client: Client, spread: dict[str, Case], view: str, expected: list[str]
) -> None:
    response = web_client.get(INBOX, {"view": view})

    assert references(response) == refs(spread, *expected)
    assert f'data-view="{view}" aria-current="page"' in response.content.decode()


def test_view_counts_come_with_the_status_counts(
    web_client: Client, spread: dict[str, Case]
) -> None:
    response = web_client.get(reverse("cases:inbox_counts"), {"view": "mine"})

    counts = dict(
        re.findall(
            r'data-view="(\w+)"[^>]*>[^<]*<span class="count">(\d+)',
            response.content.decode(),
        )
    )
    assert counts == {
        "mine": "3",
        "unassigned": "2",
        "team": "5",
        "at_risk": "1",
        "breached": "1",
        "all": "8",
    }


def test_a_member_of_no_team_has_no_team_view(
    admin_user: User, spread: dict[str, Case]
) -> None:
    client = Client()
    client.force_login(admin_user)

    response = client.get(INBOX)

    assert 'data-view="team"' not in response.content.decode()
    assert 'data-view="all"' in response.content.decode()


def test_several_statuses_at_once(web_client: Client, spread: dict[str, Case]) -> None:
    response = web_client.get(
        INBOX, {"status": [CaseStatus.NEW, CaseStatus.CLOSED], "assignee": "me"}
    )

    assert references(response) == refs(spread, "mine_closed", "mine_new")
    content = response.content.decode()
    assert 'name="status" value="new" checked' in content
    assert 'name="status" value="closed" checked' in content
    assert 'name="status" value="open">' in content


def test_the_default_form_values_are_no_error_and_mean_any(
    web_client: Client, spread: dict[str, Case]
) -> None:
    response = web_client.get(INBOX, DEFAULT_FORM)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Certains filtres ont été ignorés" not in content
    assert 'role="alert"' not in content
    assert len(references(response)) == 8


def test_the_form_shows_the_view_it_stands_for(
    web_client: Client, spread: dict[str, Case]
) -> None:
    """Submitting the form of « my unsolved » unchanged gives the same list."""
    shown = web_client.get(INBOX).content.decode()
    ticked = re.findall(r'name="status" value="(\w+)" checked', shown)
    submitted = web_client.get(
        INBOX, {**DEFAULT_FORM, "status": ticked, "assignee": "me"}
    )

    assert ticked == ["new", "open", "waiting_customer", "waiting_third_party"]
    assert '<option value="me" selected>' in shown
    assert references(submitted) == refs(
        spread, "mine_new", "mine_waiting", "mine_third"
    )
    assert 'data-view="mine" aria-current="page"' in submitted.content.decode()


def test_a_query_of_filters_alone_spans_every_status(
    web_client: Client, spread: dict[str, Case]
) -> None:
    """Saved views stored before views existed keep their meaning."""
    response = web_client.get(INBOX, {"assignee": "me"})

    assert references(response) == refs(
        spread,
        "mine_closed",
        "mine_new",
        "mine_waiting",
        "mine_third",
        "mine_resolved",
    )


def test_a_view_refined_by_a_filter(
    web_client: Client, spread: dict[str, Case]
) -> None:
    response = web_client.get(
        INBOX, {"view": "mine", "status": CaseStatus.WAITING_THIRD_PARTY}
    )

    assert references(response) == refs(spread, "mine_third")


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "bogus"}, "Statut"),
        ({"kind": "bogus"}, "Type"),
        ({"view": "bogus"}, "Vue"),
        ({"assignee": "someone"}, "Responsable"),
    ],
)
def test_bad_values_are_reported_with_their_field_and_kept_out(
    web_client: Client, spread: dict[str, Case], params: dict[str, str], field: str
) -> None:
    response = web_client.get(INBOX, params)

    content = response.content.decode()
    assert "Certains filtres ont été ignorés" in content
    assert f"<li>{field} :" in content
    assert len(references(response)) == 8


def test_rows_carry_a_selection_box_with_the_version_and_a_preview(
    web_client: Client, agent: User, team: Team
) -> None:
    case = case_at(1, team=team, assignee=agent, status=CaseStatus.OPEN)
    InteractionFactory.create(
        case=case,
        customer=case.customer,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        body_text="Premier message",
    )
    InteractionFactory.create(
        case=case,
        customer=case.customer,
        occurred_at=timezone.now() - dt.timedelta(hours=1),
        body_text="Mon colis\n  est   toujours bloqué à Lyon.",
    )
    InteractionFactory.create(
        case=case,
        customer=case.customer,
        channel=Channel.SYSTEM,
        direction=Direction.INTERNAL,
        body_text="Promesse tenue",
    )

    content = web_client.get(INBOX).content.decode()

    assert f'name="cases" value="{case.pk}:{case.version}"' in content
    assert 'title="Mon colis est toujours bloqué à Lyon."' in content
    assert 'id="select-all"' in content


def count_queries(client: Client, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(INBOX, params)
    assert response.status_code == 200
    return len(captured)


def test_previews_do_not_add_a_query_per_row(
    web_client: Client, agent: User, team: Team
) -> None:
    def make(count: int) -> None:
        for _index in range(count):
            case = case_at(1, team=team, assignee=agent)
            InteractionFactory.create(case=case, customer=case.customer)

    make(5)
    with_five = count_queries(web_client, {"view": "mine"})
    make(20)

    with_twenty_five = count_queries(web_client, {"view": "mine"})

    assert with_five == with_twenty_five
