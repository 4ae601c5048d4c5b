"""The macros API per role: nothing leaks, nothing is written without the right;
errors are JSON with a code and the fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseStatus
from amiable.macros.models import Macro
from tests.factories.macros import MacroFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/macros"


@pytest.fixture
def client_of(
    request: pytest.FixtureRequest, token_for: Callable[[User], str]
) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        user = request.getfixturevalue(role)
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


@pytest.mark.parametrize(
    ("role", "status", "names"),
    [
        ("anonymous", 401, None),
        ("other_agent", 200, []),
        ("agent", 200, ["Excuses colis", "Ma signature"]),
        ("supervisor", 200, ["Excuses colis"]),
        ("admin_user", 200, ["Excuses colis"]),
    ],
)
def test_the_list_per_role(
    client_of: Callable[[str], Client],
    team_macro: Macro,
    personal_macro: Macro,
    role: str,
    status: int,
    names: list[str] | None,
) -> None:
    response = client_of(role).get(URL)

    assert response.status_code == status
    if names is not None:
        assert [item["name"] for item in response.json()["items"]] == names


def test_the_list_costs_a_fixed_number_of_queries(
    client_of: Callable[[str], Client],
    team: Team,
    django_assert_max_num_queries: Any,
) -> None:
    MacroFactory.create_batch(25, team=team)
    client = client_of("agent")

    with django_assert_max_num_queries(5):
        response = client.get(URL, {"limit": 50})

    assert len(response.json()["items"]) == 25


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("other_agent", 403),
        ("agent", 403),
        ("supervisor", 201),
        ("admin_user", 201),
    ],
)
def test_creating_a_team_macro_per_role(
    client_of: Callable[[str], Client], team: Team, role: str, status: int
) -> None:
    response = client_of(role).post(
        URL,
        {"name": "Accueil", "team_id": team.pk, "body_fr": "Bonjour {{ first_name }}"},
        content_type="application/json",
    )

    assert response.status_code == status
    assert Macro.objects.filter(name="Accueil").exists() is (status == 201)


def test_an_unknown_variable_is_a_422_with_the_field(
    client_of: Callable[[str], Client],
) -> None:
    response = client_of("agent").post(
        URL,
        {"name": "Essai", "body_en": "Hi {{ user.password }}"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json() == {
        "code": "validation_error",
        "message": "La macro ne peut pas être enregistrée.",
        "fields": {"body_en": ["Variables inconnues : user.password."]},
    }


@pytest.mark.parametrize(
    ("role", "status", "name"),
    [
        ("anonymous", 401, "Ma signature"),
        ("other_agent", 404, "Ma signature"),
        ("supervisor", 404, "Ma signature"),
        ("agent", 200, "Renommée"),
    ],
)
def test_changing_a_personal_macro_per_role(
    client_of: Callable[[str], Client],
    personal_macro: Macro,
    role: str,
    status: int,
    name: str,
) -> None:
    response = client_of(role).patch(
        f"{URL}/{personal_macro.pk}",
        {"name": "Renommée"},
        content_type="application/json",
    )

    personal_macro.refresh_from_db()
    assert response.status_code == status
    assert personal_macro.name == name


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 403), ("other_agent", 404), ("supervisor", 204)],
)
def test_deleting_a_team_macro_per_role(
    client_of: Callable[[str], Client], team_macro: Macro, role: str, status: int
) -> None:
    response = client_of(role).delete(f"{URL}/{team_macro.pk}")

    assert response.status_code == status
    assert Macro.objects.filter(pk=team_macro.pk).exists() is (status != 204)


def test_applying_through_the_api(
    client_of: Callable[[str], Client], case: Case, team: Team
) -> None:
    macro = MacroFactory.create(
        team=team,
        body_fr="Bonjour {{ first_name }} ({{ order_number }})",
        set_status=CaseStatus.WAITING_CUSTOMER,
    )

    response = client_of("agent").post(
        f"{URL}/{macro.pk}/apply",
        {"case_id": case.pk, "version": 1},
        content_type="application/json",
    )

    case.refresh_from_db()
    assert response.status_code == 200
    assert response.json() == {
        "text": "Bonjour Jeanne (CMD-2026-1001)",
        "is_case_changed": True,
        "case_version": 2,
    }
    assert case.status == CaseStatus.WAITING_CUSTOMER


@pytest.mark.parametrize(("role", "status"), [("anonymous", 401), ("other_agent", 404)])
def test_applying_on_a_hidden_case_writes_nothing(
    client_of: Callable[[str], Client],
    case: Case,
    team_macro: Macro,
    role: str,
    status: int,
) -> None:
    Macro.objects.filter(pk=team_macro.pk).update(set_status="waiting_customer")

    response = client_of(role).post(
        f"{URL}/{team_macro.pk}/apply",
        {"case_id": case.pk, "version": 1},
        content_type="application/json",
    )

    case.refresh_from_db()
    assert response.status_code == status
    assert case.status == CaseStatus.OPEN
