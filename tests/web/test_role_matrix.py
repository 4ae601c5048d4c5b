"""Who may see and do what on the staff pages, for every role.

A case of the agent's team is shown to its team (agent, supervisor) and to those who
see every case (quality manager, administrator); an agent of another team gets 404
and never finds it in a list; an anonymous visitor is sent to the login page. Refused
requests write nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseStatus
from amiable.conversations.models import Interaction
from tests.factories import CaseFactory, CustomerFactory

SEES_THE_CASE = ["agent", "supervisor", "quality_manager", "admin_user"]
ALL_ROLES = ["anonymous", "other_agent", *SEES_THE_CASE]
SUBJECT = "Colis introuvable à Quimper"


@pytest.fixture
def case(team: Team) -> Case:
    customer = CustomerFactory.create(name="Gwenaëlle Le Goff")
    return CaseFactory.create(
        customer=customer, team=team, subject=SUBJECT, status=CaseStatus.OPEN
    )


def _client(request: pytest.FixtureRequest, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        user: User = request.getfixturevalue(role)
        client.force_login(user)
    return client


def _login_redirect(url: str) -> str:
    return f"{reverse('web:login')}?next={url}"


def _written() -> tuple[int, int]:
    return Interaction.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_inbox(request: pytest.FixtureRequest, case: Case, role: str) -> None:
    url = f"{reverse('cases:inbox')}?view=all"

    response = _client(request, role).get(url)

    expected_status = 302 if role == "anonymous" else 200
    assert response.status_code == expected_status
    assert (case.reference in response.content.decode()) is (role in SEES_THE_CASE)
    assert (SUBJECT in response.content.decode()) is (role in SEES_THE_CASE)


def test_inbox_sends_anonymous_to_login(db: None) -> None:
    url = reverse("cases:inbox")

    response = Client().get(url)

    assert response["Location"] == _login_redirect(url)


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("other_agent", 404)] + [(r, 200) for r in SEES_THE_CASE],
)
def test_case_page(
    request: pytest.FixtureRequest, case: Case, role: str, status: int
) -> None:
    url = reverse("cases:detail", args=[case.pk])

    response = _client(request, role).get(url)

    assert response.status_code == status
    assert (SUBJECT in response.content.decode()) is (status == 200)
    assert (case.customer.name in response.content.decode()) is (status == 200)


ACTIONS: dict[str, dict[str, Any]] = {
    "reply": {"body": "Nous renvoyons le colis."},
    "note": {"body": "Voir avec le transporteur."},
    "call": {
        "direction": "inbound",
        "duration_minutes": 3,
        "outcome": "answered",
        "notes": "Client rassuré",
    },
    "status": {"status": CaseStatus.WAITING_CUSTOMER},
    "assign": {"assignee": "me"},
}


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize(("role", "status"), [("anonymous", 302), ("other_agent", 404)])
def test_refused_actions_write_nothing(
    request: pytest.FixtureRequest, case: Case, action: str, role: str, status: int
) -> None:
    url = reverse(f"cases:{action}", args=[case.pk])
    before = _written()

    response = _client(request, role).post(
        url, {**ACTIONS[action], "version": case.version}
    )

    refreshed = Case.objects.get(pk=case.pk)
    assert response.status_code == status
    assert SUBJECT not in response.content.decode()
    assert _written() == before
    assert (refreshed.version, refreshed.status, refreshed.assignee_id) == (
        case.version,
        CaseStatus.OPEN,
        None,
    )


def test_refused_action_sends_anonymous_to_login(case: Case) -> None:
    url = reverse("cases:reply", args=[case.pk])

    response = Client().post(url, {**ACTIONS["reply"], "version": case.version})

    assert response["Location"] == _login_redirect(url)


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("role", SEES_THE_CASE)
def test_allowed_actions_are_applied(
    request: pytest.FixtureRequest, case: Case, action: str, role: str
) -> None:
    url = reverse(f"cases:{action}", args=[case.pk])
    audit_before = AuditEvent.objects.count()

    response = _client(request, role).post(
        url, {**ACTIONS[action], "version": case.version}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert AuditEvent.objects.count() > audit_before


@pytest.mark.parametrize("role", ALL_ROLES)
def test_customer_list(request: pytest.FixtureRequest, case: Case, role: str) -> None:
    url = reverse("customers:list")

    response = _client(request, role).get(url)

    assert response.status_code == (302 if role == "anonymous" else 200)
    assert (case.customer.name in response.content.decode()) is (role != "anonymous")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_customer_page_hides_cases_of_other_teams(
    request: pytest.FixtureRequest, case: Case, role: str
) -> None:
    url = reverse("customers:detail", args=[case.customer_id])

    response = _client(request, role).get(url)

    content = response.content.decode()
    assert response.status_code == (302 if role == "anonymous" else 200)
    assert (case.customer.name in content) is (role != "anonymous")
    assert (case.reference in content) is (role in SEES_THE_CASE)
    assert (SUBJECT in content) is (role in SEES_THE_CASE)
