"""The feedback API: who may read it, what it answers, and what it costs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import Team, User
from amiable.customers.models import Customer
from amiable.feedback.models import Survey, SurveyKind, SurveyResponse, SurveyStatus
from tests.factories import TeamFactory
from tests.factories.feedback import SurveyFactory, SurveyResponseFactory

ROLES = [
    "anonymous",
    "other_agent",
    "agent",
    "supervisor",
    "quality_manager",
    "admin_user",
]
READS = {
    "anonymous": 401,
    "other_agent": 403,
    "agent": 403,
    "supervisor": 200,
    "quality_manager": 200,
    "admin_user": 200,
}
ENDPOINTS = [
    "/api/v1/feedback/surveys",
    "/api/v1/feedback/responses",
    "/api/v1/feedback/results?kind=nps&dimension=team",
]
# Ten NPS answers of team "Service client" (P = 5, D = 3, N = 10) and two surveys
# sent to it without an answer.
NPS_TEN = [10, 9, 9, 8, 7, 6, 3, 0, 10, 10]


@pytest.fixture
def role_client(
    request: pytest.FixtureRequest, token_for: Callable[[User], str], db: None
) -> Client:
    role = request.getfixturevalue("role")
    if role == "anonymous":
        return Client()
    user: User = request.getfixturevalue(role)
    return Client(headers={"Authorization": f"Bearer {token_for(user)}"})


@pytest.fixture
def supervisor_api(supervisor: User, token_for: Callable[[User], str]) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(supervisor)}"})


def _answered(team: Team | None, kind: str, scores: list[int], **extra: Any) -> None:
    for score in scores:
        SurveyResponseFactory.create(
            survey=SurveyFactory.create(team=team, kind=kind, **extra), score=score
        )


@pytest.fixture
def data_set(team: Team, customer: Customer) -> None:
    _answered(team, SurveyKind.NPS, NPS_TEN, customer=customer)
    SurveyFactory.create_batch(2, team=team, kind=SurveyKind.NPS, customer=customer)
    # Another team: 9, 10, 6 → P = 2, D = 1, N = 3 → NPS = 100 × (2 − 1)/3 = 33.33
    _answered(TeamFactory.create(name="Litiges"), SurveyKind.NPS, [9, 10, 6])
    # Not sent yet: counts nowhere. Another kind: not in NPS results.
    SurveyFactory.create(team=team, status=SurveyStatus.SCHEDULED, sent_at=None)
    _answered(team, SurveyKind.CSAT, [5, 1])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", ENDPOINTS)
def test_reads_per_role(
    role_client: Client, role: str, url: str, data_set: None
) -> None:
    surveys, answers = Survey.objects.count(), SurveyResponse.objects.count()

    response = role_client.get(url)

    assert response.status_code == READS[role]
    if READS[role] != 200:
        assert "items" not in response.json()
        assert "groups" not in response.json()
    assert (Survey.objects.count(), SurveyResponse.objects.count()) == (
        surveys,
        answers,
    )


def test_results_per_team_match_the_hand_computed_values(
    supervisor_api: Client, data_set: None
) -> None:
    body = supervisor_api.get(
        "/api/v1/feedback/results", {"kind": "nps", "dimension": "team"}
    ).json()

    assert body["metric"] == "nps"
    rows = {group["label"]: group for group in body["groups"]}
    service = rows["Service client"]
    # sent 12, answered 10 → 83.33 %; NPS 20, CI [−34.03, 74.03] (see test_statistics)
    assert (service["sent"], service["answered"]) == (12, 10)
    assert service["response_rate"] == pytest.approx(83.333, abs=0.001)
    assert service["value"] == pytest.approx(20.0)
    assert service["ci_low"] == pytest.approx(-34.03, abs=0.005)
    assert service["ci_high"] == pytest.approx(74.03, abs=0.005)
    assert service["is_enough"] is False
    # p = 2/3, d = 1/3 → NPS 33.33; SE = 100 × √((1 − 1/9)/3) = 54.43;
    # CI = 33.33 ± 106.68 → clipped to [−73.35, 100]
    assert rows["Litiges"]["value"] == pytest.approx(33.333, abs=0.001)
    assert rows["Litiges"]["ci_low"] == pytest.approx(-73.35, abs=0.005)
    assert rows["Litiges"]["ci_high"] == 100.0


def test_results_overall_and_per_month(supervisor_api: Client, data_set: None) -> None:
    overall = supervisor_api.get("/api/v1/feedback/results", {"kind": "nps"}).json()
    monthly = supervisor_api.get(
        "/api/v1/feedback/results", {"kind": "nps", "dimension": "month"}
    ).json()

    # All 13 NPS answers: P = 7, D = 4 → NPS = 100 × 3/13 = 23.08; 15 sent.
    assert [(g["sent"], g["answered"]) for g in overall["groups"]] == [(15, 13)]
    assert overall["groups"][0]["value"] == pytest.approx(23.077, abs=0.001)
    assert len(monthly["groups"]) == 1
    assert monthly["groups"][0]["answered"] == 13


def test_verbatims_are_searchable(supervisor_api: Client, customer: Customer) -> None:
    SurveyResponseFactory.create(
        survey=SurveyFactory.create(customer=customer), comment="Livreur très aimable"
    )
    SurveyResponseFactory.create(survey=SurveyFactory.create(), comment="Trop cher")

    body = supervisor_api.get("/api/v1/feedback/responses", {"q": "AIMABLE"}).json()

    assert [item["comment"] for item in body["items"]] == ["Livreur très aimable"]
    assert body["items"][0]["customer_id"] == customer.pk


def test_survey_list_pages_with_a_cursor(supervisor_api: Client, db: None) -> None:
    surveys = SurveyFactory.create_batch(3)
    SurveyResponseFactory.create(survey=surveys[0], score=4)

    first = supervisor_api.get("/api/v1/feedback/surveys", {"limit": 2}).json()
    second = supervisor_api.get(
        "/api/v1/feedback/surveys", {"limit": 2, "cursor": first["next_cursor"]}
    ).json()

    ids = [item["id"] for item in first["items"] + second["items"]]
    assert ids == [survey.pk for survey in reversed(surveys)]
    assert second["items"][-1]["answer"]["score"] == 4


@pytest.mark.parametrize(
    "url", ["/api/v1/feedback/surveys", "/api/v1/feedback/responses", ENDPOINTS[2]]
)
def test_query_count_does_not_grow_with_rows(
    supervisor_api: Client, url: str, db: None
) -> None:
    _answered(None, SurveyKind.NPS, [9, 3])
    supervisor_api.get(url)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        supervisor_api.get(url)
    _answered(None, SurveyKind.NPS, list(range(11)) * 3)

    with CaptureQueriesContext(connection) as many:
        response = supervisor_api.get(url)

    assert response.status_code == 200
    assert len(few) == len(many)
    assert len(many) <= 4
