"""The case page's layout: the conversation and the composer first, the case's
controls beside them, a question's status menu with no default, closing confirmed,
the customer's open cases, promises and gestures of every team, styled 403/404."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseKind, CaseStatus
from amiable.promises.models import PromiseState
from tests.factories import CaseFactory, CustomerFactory
from tests.factories.gestures import GestureFactory
from tests.factories.promises import PromiseFactory
from tests.web.conftest import HTMX


@pytest.fixture
def case(team: Team) -> Case:
    customer = CustomerFactory.create(name="Jeanne Martin")
    return CaseFactory.create(
        customer=customer,
        team=team,
        kind=CaseKind.QUESTION,
        subject="Où est mon colis ?",
        status=CaseStatus.OPEN,
    )


def url(name: str, case: Case) -> str:
    return reverse(f"cases:{name}", args=[case.pk])


def test_the_composer_follows_the_conversation_and_the_controls_are_beside(
    web_client: Client, case: Case
) -> None:
    content = web_client.get(url("detail", case)).content.decode()

    conversation = content.index('data-testid="conversation"')
    composer = content.index('data-testid="composer"')
    side = content.index('data-testid="case-side"')
    assert conversation < composer < side
    for control in ('id="status-form"', 'id="assign-form"', 'data-testid="ladder"'):
        assert content.index(control) > side
    assert content.index('data-testid="sla-clocks"') > side
    assert content.index('data-testid="promises-panel"') > side


def test_the_status_menu_of_a_question_has_no_default(
    web_client: Client, case: Case
) -> None:
    content = web_client.get(url("detail", case)).content.decode()

    menu = content[content.index('id="status-select"') :]
    menu = menu[: menu.index("</select>")]
    assert '<option value="" selected>Choisir un statut</option>' in menu
    assert '<option value="closed">Clos</option>' in menu
    assert " selected" not in menu.replace('<option value="" selected>', "")


def test_closing_asks_for_a_confirmation_first(web_client: Client, case: Case) -> None:
    response = web_client.post(
        url("status", case), {"status": "closed", "version": "1"}, headers=HTMX
    )

    case.refresh_from_db()
    content = response.content.decode()
    assert response.status_code == 422
    assert case.status == CaseStatus.OPEN
    assert case.version == 1
    assert "Clôturer met fin au dossier. Le clôturer ?" in content
    assert 'name="confirm_close" value="on"' in content
    assert '<option value="closed" selected>Clos</option>' in content


def test_a_confirmed_close_closes(web_client: Client, case: Case) -> None:
    response = web_client.post(
        url("status", case),
        {"status": "closed", "confirm_close": "on", "version": "1"},
        headers=HTMX,
    )

    case.refresh_from_db()
    assert response.status_code == 200
    assert case.status == CaseStatus.CLOSED


def test_another_status_needs_no_confirmation(web_client: Client, case: Case) -> None:
    response = web_client.post(
        url("status", case), {"status": "waiting_customer", "version": "1"}
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert case.status == CaseStatus.WAITING_CUSTOMER


def test_the_customer_panel_lists_every_open_case_of_every_team(
    web_client: Client, case: Case, other_team: Team
) -> None:
    mine = CaseFactory.create(
        customer=case.customer, team=case.team, status=CaseStatus.WAITING_CUSTOMER
    )
    theirs = CaseFactory.create(
        customer=case.customer, team=other_team, status=CaseStatus.OPEN
    )
    CaseFactory.create(customer=case.customer, team=other_team, status="closed")

    content = web_client.get(url("detail", case)).content.decode()

    panel = content[content.index('data-testid="customer-open-cases"') :]
    panel = panel[: panel.index("</ul>")]
    assert "3 sur 4" in content
    assert panel.count("<li") == 3
    assert f'<a href="/cases/{mine.pk}/">{mine.reference}</a>' in panel
    assert f"<strong>{theirs.reference}</strong>" in panel
    assert f'href="/cases/{theirs.pk}/"' not in panel
    assert "Traité par l’équipe « Litiges » (lecture seule)" in panel


def test_promises_and_gestures_of_other_teams_are_shown_read_only(
    web_client: Client, case: Case, other_team: Team
) -> None:
    theirs = CaseFactory.create(customer=case.customer, team=other_team)
    PromiseFactory.create(
        customer=case.customer,
        case=theirs,
        description="Remboursement sous 15 jours",
        state=PromiseState.OPEN,
    )
    gesture = GestureFactory.create(customer=case.customer, case=theirs)

    content = web_client.get(url("detail", case)).content.decode()

    promises = content[content.index('data-testid="customer-overview-promises"') :]
    promises = promises[: promises.index("</section>")]
    gestures = content[content.index('data-testid="customer-overview-gestures"') :]
    gestures = gestures[: gestures.index("</section>")]
    assert "Remboursement sous 15 jours" in promises
    assert f"{theirs.reference} — équipe « Litiges », lecture seule" in promises
    assert "équipe « Litiges », lecture seule" in gestures
    assert f'href="/gestures/{gesture.pk}/"' not in gestures
    assert f'href="/cases/{theirs.pk}/"' not in content


def test_a_case_of_another_team_answers_a_styled_404(
    other_client: Client, case: Case
) -> None:
    response = other_client.get(url("detail", case))

    content = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="error-404"' in content
    assert '<h1 id="error-title">Page introuvable</h1>' in content
    assert 'class="container site-header"' in content


def test_the_404_page_in_english(other_client: Client, case: Case) -> None:
    response = other_client.get(url("detail", case), headers={"Accept-Language": "en"})

    assert response.status_code == 404
    assert '<h1 id="error-title">Page not found</h1>' in response.content.decode()


def test_a_forbidden_page_answers_a_styled_403(web_client: Client) -> None:
    response = web_client.get(reverse("quality:problem_list"))

    content = response.content.decode()
    assert response.status_code == 403
    assert '<h1 id="error-title">Accès refusé</h1>' in content
    assert 'class="container site-header"' in content


@pytest.mark.parametrize("role_client", ["web_client", "supervisor_client"])
def test_an_agent_of_another_team_cannot_open_the_case_linked_read_only(
    request: pytest.FixtureRequest, role_client: str, other_agent: User, case: Case
) -> None:
    client: Client = request.getfixturevalue(role_client)
    theirs = CaseFactory.create(customer=case.customer, team=other_agent.team)

    assert client.get(url("detail", theirs)).status_code == 404
