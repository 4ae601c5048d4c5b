"""Macro pages per role, forms keeping the input, the composer's picker and its
apply endpoint (JSON for the composer)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseStatus
from amiable.macros.models import Macro
from tests.factories.macros import MacroFactory

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients(
    agent: User, other_agent: User, supervisor: User, admin_user: User
) -> dict[str, Client]:
    return {
        "anonymous": Client(),
        "other_agent": client_for(other_agent),
        "agent": client_for(agent),
        "supervisor": client_for(supervisor),
        "admin": client_for(admin_user),
    }


def test_the_list_shows_team_and_personal_macros(
    clients: dict[str, Client], team_macro: Macro, personal_macro: Macro
) -> None:
    content = clients["agent"].get(reverse("macros:list")).content.decode()

    assert "Excuses colis" in content
    assert "Ma signature" in content
    # An agent edits their own macro, not the team's.
    assert reverse("macros:update", args=[personal_macro.pk]) in content
    assert reverse("macros:update", args=[team_macro.pk]) not in content


def test_the_list_costs_a_fixed_number_of_queries(
    clients: dict[str, Client],
    team: Team,
    agent: User,
    django_assert_max_num_queries: Any,
) -> None:
    MacroFactory.create_batch(3, team=team)
    MacroFactory.create_batch(30, team=team)
    MacroFactory.create_batch(5, team=None, owner=agent)

    with django_assert_max_num_queries(6):
        response = clients["agent"].get(reverse("macros:list"))

    assert response.content.decode().count("<tr>") == 39


@pytest.mark.parametrize(
    ("role", "status", "written"),
    [
        ("anonymous", 302, False),
        # An agent is not offered the team: the choice is refused as invalid.
        ("other_agent", 422, False),
        ("agent", 422, False),
        ("supervisor", 302, True),
        ("admin", 302, True),
    ],
)
def test_creating_a_team_macro_per_role(
    clients: dict[str, Client], team: Team, role: str, status: int, written: bool
) -> None:
    response = clients[role].post(
        reverse("macros:create"),
        {"name": "Accueil", "scope": f"team:{team.pk}", "body_fr": "Bonjour"},
    )

    assert response.status_code == status
    assert Macro.objects.filter(team=team, name="Accueil").exists() is written


def test_an_invalid_macro_keeps_the_input(
    clients: dict[str, Client], agent: User
) -> None:
    response = clients["agent"].post(
        reverse("macros:create"),
        {"name": "Essai", "scope": "personal", "body_fr": "Bonjour {{ motdepasse }}"},
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert "Variables inconnues : motdepasse." in content
    assert "Bonjour {{ motdepasse }}</textarea>" in content
    assert 'value="Essai"' in content
    assert Macro.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("other_agent", 404), ("supervisor", 404), ("agent", 200)],
)
def test_editing_a_personal_macro_per_role(
    clients: dict[str, Client], personal_macro: Macro, role: str, status: int
) -> None:
    url = reverse("macros:update", args=[personal_macro.pk])

    page = clients[role].get(url)
    clients[role].post(url, {"name": "Volée", "scope": "personal", "body_fr": "x"})

    personal_macro.refresh_from_db()
    assert page.status_code == status
    assert personal_macro.name == ("Volée" if role == "agent" else "Ma signature")


@pytest.mark.parametrize(
    ("role", "status", "kept"),
    [
        ("anonymous", 302, True),
        ("other_agent", 404, True),
        ("agent", 403, True),
        ("supervisor", 302, False),
        ("admin", 302, False),
    ],
)
def test_deleting_a_team_macro_per_role(
    clients: dict[str, Client], team_macro: Macro, role: str, status: int, kept: bool
) -> None:
    response = clients[role].post(reverse("macros:delete", args=[team_macro.pk]))

    assert response.status_code == status
    assert Macro.objects.filter(pk=team_macro.pk).exists() is kept


def test_the_delete_page_asks_first(
    clients: dict[str, Client], team_macro: Macro
) -> None:
    response = clients["supervisor"].get(reverse("macros:delete", args=[team_macro.pk]))

    assert response.status_code == 200
    assert "Supprimer la macro « Excuses colis » ?" in response.content.decode()
    assert Macro.objects.filter(pk=team_macro.pk).exists()


def test_the_picker_searches_in_one_query_per_request(
    clients: dict[str, Client],
    case: Case,
    team: Team,
    team_macro: Macro,
    django_assert_max_num_queries: Any,
) -> None:
    MacroFactory.create_batch(10, team=team, body_fr="Autre chose")

    with django_assert_max_num_queries(4):
        response = clients["agent"].get(
            reverse("macros:picker", args=[case.pk]), {"q": "excuses"}
        )

    content = response.content.decode()
    assert content.count('data-testid="macro-option"') == 1
    assert reverse("macros:apply", args=[case.pk, team_macro.pk]) in content


def test_the_picker_of_another_teams_case_is_404(
    clients: dict[str, Client], case: Case
) -> None:
    response = clients["other_agent"].get(reverse("macros:picker", args=[case.pk]))

    assert response.status_code == 404


def test_applying_answers_the_text_and_the_new_version(
    clients: dict[str, Client], case: Case, team: Team
) -> None:
    macro = MacroFactory.create(
        team=team, set_status=CaseStatus.WAITING_CUSTOMER, body_fr="{{ first_name }}"
    )

    response = clients["agent"].post(
        reverse("macros:apply", args=[case.pk, macro.pk]), {"version": "1"}
    )

    case.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {"text": "Jeanne", "changed": True, "version": 2}
    assert case.status == CaseStatus.WAITING_CUSTOMER


@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("other_agent", 404)])
def test_applying_on_a_hidden_case_writes_nothing(
    clients: dict[str, Client], case: Case, team: Team, role: str, status: int
) -> None:
    macro = MacroFactory.create(team=team, set_status=CaseStatus.WAITING_CUSTOMER)

    response = clients[role].post(
        reverse("macros:apply", args=[case.pk, macro.pk]), {"version": "1"}
    )

    case.refresh_from_db()
    assert response.status_code == status
    assert case.status == CaseStatus.OPEN


def test_applying_someone_elses_personal_macro_is_404(
    clients: dict[str, Client], case: Case, supervisor: User
) -> None:
    theirs = MacroFactory.create(team=None, owner=supervisor)

    response = clients["agent"].post(
        reverse("macros:apply", args=[case.pk, theirs.pk]), {"version": "1"}
    )

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_case_page_has_the_picker_in_the_composer(
    clients: dict[str, Client], case: Case
) -> None:
    content = clients["agent"].get(reverse("cases:detail", args=[case.pk])).content
    text = content.decode()

    reply_form = text[
        text.index('id="reply-form"') : text.index(
            "</form>", text.index('id="reply-form"')
        )
    ]
    assert 'data-testid="macro-picker"' in reply_form
    assert reverse("macros:picker", args=[case.pk]) in reply_form
