"""The staff results page and the surveys section of the customer page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.customers.models import Customer
from amiable.feedback.models import SurveyKind
from tests.factories import CaseFactory
from tests.factories.feedback import SurveyFactory, SurveyResponseFactory

RESULTS = "/feedback/"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _answers(team: Team, scores: list[int], comment: str = "") -> None:
    for score in scores:
        SurveyResponseFactory.create(
            survey=SurveyFactory.create(team=team, kind=SurveyKind.NPS),
            score=score,
            comment=comment,
        )


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 403), ("supervisor", 200), ("quality_manager", 200)],
)
def test_results_page_is_for_supervisors_and_above(
    request: pytest.FixtureRequest, role: str, status: int
) -> None:
    user: User = request.getfixturevalue(role)

    assert _client(user).get(RESULTS).status_code == status


@pytest.mark.parametrize(
    ("role", "sees_link"),
    [("agent", False), ("supervisor", True), ("admin_user", True)],
)
def test_the_menu_links_to_results_for_those_who_may_read_them(
    request: pytest.FixtureRequest, role: str, sees_link: bool
) -> None:
    user: User = request.getfixturevalue(role)

    page = _client(user).get("/notifications/").content.decode()

    assert (f'href="{RESULTS}"' in page) is sees_link


def test_results_page_anonymous_goes_to_login(db: None) -> None:
    response = Client().get(RESULTS)

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_results_page_shows_the_table_chart_and_verbatims(
    supervisor: User, team: Team
) -> None:
    _answers(team, [10, 9, 9, 8, 7, 6, 3, 0, 10, 10])
    _answers(team, [2], comment="Livraison en retard")

    response = _client(supervisor).get(RESULTS, {"kind": "nps", "q": "retard"})

    body = response.content.decode()
    assert response.status_code == 200
    # 11 answers: P = 5, D = 4 → NPS = 100 × 1/11 = 9.1 (French decimal comma)
    assert '<th scope="row">Service client</th>' in body
    assert "9,1" in body
    assert 'id="feedback-trend"' in body
    assert "vendor/chartjs/chart.umd.js" in body
    assert "Livraison en retard" in body
    assert body.count('class="verbatim"') == 1


def test_results_page_query_count_does_not_grow(supervisor: User, team: Team) -> None:
    client = _client(supervisor)
    _answers(team, [9, 3])
    with CaptureQueriesContext(connection) as few:
        client.get(RESULTS)
    _answers(team, list(range(11)) * 3, comment="texte")

    with CaptureQueriesContext(connection) as many:
        client.get(RESULTS)

    assert len(few) == len(many)


def test_customer_page_lists_the_surveys_and_the_follow_up_case(
    web_client: Client, customer: Customer
) -> None:
    case = CaseFactory.create(customer=customer, reference="C-2026-000123")
    SurveyResponseFactory.create(
        survey=SurveyFactory.create(customer=customer, kind=SurveyKind.CSAT),
        score=1,
        comment="Colis jamais arrivé",
        follow_up_case=case,
    )
    SurveyFactory.create(customer=customer, kind=SurveyKind.NPS)

    response = web_client.get(reverse("customers:detail", args=[customer.pk]))

    body = response.content.decode()
    section = body.split('id="customer-surveys"')[1].split("</section>")[0]
    assert section.count("<tr>") == 3  # the header and two surveys
    assert "Colis jamais arrivé" in section
    assert f'href="/cases/{case.pk}/"' in section
