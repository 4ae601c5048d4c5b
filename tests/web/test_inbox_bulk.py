"""Bulk actions from the inbox page: confirmation first, then one service call per
case, a report back on the inbox; bad input re-rendered with its messages; each
role changes only what it may."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CasePriority, CaseStatus
from tests.factories import CaseFactory, UserFactory

BULK = "/cases/bulk/"


@pytest.fixture
def team_cases(team: Team) -> list[Case]:
    return [CaseFactory.create(team=team, subject=f"Colis {n}") for n in range(3)]


def tokens(cases: list[Case]) -> list[str]:
    return [f"{case.pk}:{case.version}" for case in cases]


def flashes(response: object) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def case_audits() -> int:
    return AuditEvent.objects.filter(object_type="cases.case").count()


def test_the_action_is_confirmed_before_anything_changes(
    web_client: Client, team_cases: list[Case]
) -> None:
    response = web_client.post(
        BULK,
        {
            "cases": tokens(team_cases),
            "action": "priority:urgent",
            "next": "/cases/?view=team",
        },
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Confirmer l’action groupée" in content
    assert "<strong>Priorité : Urgente</strong>" in content
    assert "3 dossiers :" in content
    assert all(case.reference in content for case in team_cases)
    assert 'name="confirmed" value="1"' in content
    assert 'name="next" value="/cases/?view=team"' in content
    assert case_audits() == 0
    assert not Case.objects.filter(priority=CasePriority.URGENT).exists()


def test_the_confirmed_action_changes_each_case_and_goes_back(
    web_client: Client, team_cases: list[Case]
) -> None:
    response = web_client.post(
        BULK,
        {
            "cases": tokens(team_cases),
            "action": "status:waiting_customer",
            "confirmed": "1",
            "next": "/cases/?view=team",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/cases/?view=team"
    assert flashes(response) == ["3 dossiers modifiés."]
    assert set(Case.objects.values_list("status", flat=True)) == {
        CaseStatus.WAITING_CUSTOMER
    }
    assert case_audits() == 3


def test_refused_cases_are_reported_one_by_one(
    web_client: Client, team: Team, other_team: Team
) -> None:
    colleague = UserFactory.create(team=team)
    mine = CaseFactory.create(team=team)
    elsewhere = CaseFactory.create(team=other_team)

    response = web_client.post(
        BULK,
        {
            "cases": tokens([mine, elsewhere]),
            "action": f"assign:{colleague.pk}",
            "confirmed": "1",
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == reverse("cases:inbox")
    assert flashes(response) == [
        f"{mine.reference} non modifié : Seuls les superviseurs peuvent attribuer "
        "un dossier à quelqu’un d’autre.",
        f"Dossier n° {elsewhere.pk} non modifié : Dossier introuvable.",
    ]
    assert case_audits() == 0


def test_an_unknown_case_is_left_out_of_the_confirmation(
    web_client: Client, team_cases: list[Case], other_team: Team
) -> None:
    elsewhere = CaseFactory.create(team=other_team, subject="Secret")

    response = web_client.post(
        BULK, {"cases": tokens([*team_cases, elsewhere]), "action": "assign:me"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "1 dossier sélectionné est introuvable" in content
    assert "Secret" not in content
    assert elsewhere.reference not in content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "assign:me"}, "Sélectionnez au moins un dossier."),
        ({"cases": "CASES", "action": ""}, "Choisissez quoi faire des dossiers"),
        ({"cases": "CASES", "action": "delete:all"}, "Choisissez une action de la"),
        ({"cases": ["1:1", "x"], "action": "assign:me"}, "La sélection n’est pas"),
        ({"cases": "CASES", "action": "status:resolved"}, "Ce statut ne peut pas"),
        ({"cases": "CASES", "action": "assign:987654"}, "Utilisateur introuvable."),
    ],
)
def test_bad_input_is_shown_again_with_its_message(
    web_client: Client,
    team_cases: list[Case],
    data: dict[str, object],
    message: str,
) -> None:
    if data.get("cases") == "CASES":
        data = {**data, "cases": tokens(team_cases)}

    response = web_client.post(BULK, data)

    content = response.content.decode()
    assert response.status_code == 422
    assert message in content
    assert 'name="confirmed"' not in content
    assert case_audits() == 0


def test_the_input_is_kept_when_shown_again(
    web_client: Client, team_cases: list[Case]
) -> None:
    response = web_client.post(
        BULK, {"cases": tokens(team_cases), "action": "status:resolved"}
    )

    content = response.content.decode()
    assert '<option value="status:resolved"' not in content
    assert all(
        f'<input type="hidden" name="cases" value="{token}">' in content
        for token in tokens(team_cases)
    )


def test_an_outside_return_address_is_not_followed(
    web_client: Client, team_cases: list[Case]
) -> None:
    response = web_client.post(
        BULK,
        {
            "cases": tokens(team_cases),
            "action": "priority:low",
            "confirmed": "1",
            "next": "https://example.org/phishing",
        },
    )

    assert response.headers["Location"] == reverse("cases:inbox")


def test_the_anonymous_are_sent_to_log_in(team_cases: list[Case]) -> None:
    response = Client().post(
        BULK,
        {"cases": tokens(team_cases), "action": "priority:low", "confirmed": "1"},
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/")
    assert case_audits() == 0


@pytest.mark.parametrize(
    ("role", "offers_colleagues"),
    [("agent", False), ("supervisor", True), ("admin_user", True)],
)
def test_only_those_who_assign_others_are_offered_colleagues(
    request: pytest.FixtureRequest,
    team_cases: list[Case],
    role: str,
    offers_colleagues: bool,
) -> None:
    user: User = request.getfixturevalue(role)
    colleague = UserFactory.create(first_name="Inès", last_name="Roy")
    client = Client()
    client.force_login(user)

    content = client.get("/cases/", {"view": "all"}).content.decode()

    assert '<option value="assign:me">M’attribuer</option>' in content
    assert (f'value="assign:{colleague.pk}">Attribuer à Inès Roy' in content) is (
        offers_colleagues
    )


def test_the_inbox_and_the_confirmation_speak_english(
    web_client: Client, team_cases: list[Case]
) -> None:
    web_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    inbox = web_client.get("/cases/", {"view": "team"}).content.decode()
    confirmation = web_client.post(
        BULK, {"cases": tokens(team_cases), "action": "status:waiting_customer"}
    ).content.decode()

    assert 'data-view="mine">My unsolved cases</a>' in inbox
    assert 'data-view="team" aria-current="page">My team</a>' in inbox
    assert "Action on the selection…" in inbox
    assert "Confirm the bulk action" in confirmation
    assert "<strong>Status: Waiting on customer</strong>" in confirmation
    assert "3 cases:" in confirmation
