"""The problem pages and API: its cases and their cost, the owner and corrective
action (quality manager only), closing rules, who sees what, query counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseKind, CaseStatus, CostKind
from amiable.cases.services import case_cost_add, case_log_call
from amiable.conversations.models import Direction
from amiable.core.money import Money
from amiable.quality.models import Problem
from amiable.quality.services import recurrence_check
from tests.factories import CaseFactory, TeamFactory
from tests.factories.quality import RootCauseFactory
from tests.quality.conftest import JSON

NBSP = "\u00a0"


@pytest.fixture
def problem(agent: User, quality_manager: User) -> Problem:
    cause = RootCauseFactory.create(
        code="wrong-size", name_fr="Taille erronée", name_en="Wrong size"
    )
    elsewhere = TeamFactory.create(name="Ailleurs")
    for index in range(5):
        CaseFactory.create(
            team=agent.team if index < 4 else elsewhere,
            kind=CaseKind.COMPLAINT,
            root_cause=cause,
            status=CaseStatus.RESOLVED,
        )
    found = recurrence_check(root_cause_id=cause.pk)
    assert found is not None
    return found


def web(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_problem_page_lists_its_cases_and_their_cost(
    problem: Problem, supervisor: User, agent: User
) -> None:
    cases = list(Case.objects.filter(problem_link__problem=problem).order_by("id"))
    case_cost_add(
        actor=agent,
        case=cases[0],
        kind=CostKind.GESTURE,
        cost=Money(Decimal("25.00"), "EUR"),
    )
    case_log_call(
        actor=agent,
        case=cases[1],
        direction=Direction.OUTBOUND,
        duration_seconds=15 * 60,  # 9,50 €
        outcome="answered",
    )

    html = web(supervisor).get(f"/quality/problems/{problem.pk}/").content.decode()

    assert f"{cases[0].reference}" in html
    assert f"25,00{NBSP}€" in html
    assert f"9,50{NBSP}€" in html
    assert f'data-testid="problem-total-cost"><strong>34,50{NBSP}€</strong>' in html
    # The supervisor sees the four cases of the team, and is told of the fifth.
    assert html.count("<tr data-case=") == 4
    assert cases[4].reference not in html
    assert "Et 1 dossier d’une équipe que vous ne voyez pas." in html
    assert 'id="problem-form"' not in html  # supervisors read, the quality manager acts


def test_the_quality_manager_sets_owner_and_corrective_action(
    problem: Problem, quality_manager: User
) -> None:
    client = web(quality_manager)

    refused = client.post(
        f"/quality/problems/{problem.pk}/edit/",
        {
            "version": "1",
            "title": problem.title,
            "owner": str(quality_manager.pk),
            "corrective_action": "Revoir le guide des tailles",
            "action_status": "planned",
            "status": "closed",
        },
    )
    saved = client.post(
        f"/quality/problems/{problem.pk}/edit/",
        {
            "version": "1",
            "title": problem.title,
            "owner": str(quality_manager.pk),
            "corrective_action": "Revoir le guide des tailles",
            "action_status": "in_progress",
            "action_due_on": "2027-01-15",
            "status": "open",
        },
    )

    assert refused.status_code == 422
    assert "Revoir le guide des tailles" in refused.content.decode()
    assert "Clôturez un problème une fois son action corrective terminée." in (
        refused.content.decode()
    )
    assert saved.status_code == 302
    problem.refresh_from_db()
    assert (problem.action_status, problem.corrective_action, problem.version) == (
        "in_progress",
        "Revoir le guide des tailles",
        2,
    )


def test_agents_do_not_see_problems(problem: Problem, agent: User) -> None:
    client = web(agent)

    assert client.get("/quality/problems/").status_code == 403
    assert client.get(f"/quality/problems/{problem.pk}/").status_code == 403


def test_a_supervisor_cannot_change_a_problem(
    problem: Problem, client_for: Any, supervisor: User
) -> None:
    response = client_for(supervisor).patch(
        f"/api/v1/problems/{problem.pk}",
        {"version": 1, "corrective_action": "x"},
        content_type=JSON,
    )

    assert response.status_code == 403
    problem.refresh_from_db()
    assert (problem.corrective_action, problem.version) == ("", 1)


def test_the_problem_api(
    problem: Problem, client_for: Any, quality_manager: User
) -> None:
    client = client_for(quality_manager)

    detail = client.get(f"/api/v1/problems/{problem.pk}").json()
    listed = client.get("/api/v1/problems?status=open").json()
    cases = client.get(f"/api/v1/problems/{problem.pk}/cases").json()
    changed = client.patch(
        f"/api/v1/problems/{problem.pk}",
        {"version": 1, "action_status": "done", "corrective_action": "Nouveau guide"},
        content_type=JSON,
    )
    stale = client.patch(
        f"/api/v1/problems/{problem.pk}",
        {"version": 1, "status": "closed"},
        content_type=JSON,
    )

    assert (detail["case_count"], detail["hidden_case_count"]) == (5, 0)
    assert detail["root_cause"]["code"] == "wrong-size"
    assert [item["id"] for item in listed["items"]] == [problem.pk]
    assert listed["items"][0]["case_count"] == 5
    assert len(cases["items"]) == 5
    assert changed.status_code == 200
    assert changed.json()["version"] == 2
    assert stale.status_code == 409


def test_the_problem_page_costs_the_same_with_more_cases(
    problem: Problem, quality_manager: User, agent: User
) -> None:
    client = web(quality_manager)
    url = f"/quality/problems/{problem.pk}/"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for _index in range(10):
        case = CaseFactory.create(
            team=agent.team,
            kind=CaseKind.COMPLAINT,
            root_cause=problem.root_cause,
            status=CaseStatus.RESOLVED,
        )
        case_cost_add(
            actor=agent,
            case=case,
            kind=CostKind.POSTAGE,
            cost=Money(Decimal("1"), "EUR"),
        )
    recurrence_check(root_cause_id=problem.root_cause_id)

    assert problem.links.count() == 15
    assert count() == few


def test_the_quality_manager_opens_a_problem_by_hand(
    client_for: Any, quality_manager: User, supervisor: User, agent: User
) -> None:
    cause = RootCauseFactory.create(code="charged-twice")
    cases = [
        CaseFactory.create(team=agent.team, kind=CaseKind.COMPLAINT, root_cause=cause)
        for _index in range(2)
    ]
    stranger = CaseFactory.create(team=agent.team, kind=CaseKind.COMPLAINT)
    ids = [case.pk for case in cases]
    body = {"root_cause_id": cause.pk, "case_ids": ids}

    refused = client_for(supervisor).post("/api/v1/problems", body, content_type=JSON)
    mixed = client_for(quality_manager).post(
        "/api/v1/problems",
        {**body, "case_ids": [*ids, stranger.pk]},
        content_type=JSON,
    )
    opened = client_for(quality_manager).post(
        "/api/v1/problems", body, content_type=JSON
    )
    again = client_for(quality_manager).post(
        "/api/v1/problems", body, content_type=JSON
    )

    assert refused.status_code == 403
    assert mixed.status_code == 422
    assert mixed.json()["fields"] == {"case_ids": [stranger.reference]}
    assert opened.status_code == 201
    assert (opened.json()["case_count"], opened.json()["owner"]["id"]) == (
        2,
        quality_manager.pk,
    )
    assert again.status_code == 409
    assert Problem.objects.count() == 1
