"""Who sees and changes what in the quality API, per role: anonymous, a customer's
link, an agent of another team, agent, supervisor, quality manager, admin. Nothing
leaks and nothing is written by those who may not."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseKind, CaseStatus
from amiable.quality.models import Incident, Problem, ResolutionConfirmation
from amiable.quality.services import recurrence_check
from amiable.quality.signing import token_make
from tests.factories import CaseFactory
from tests.factories.quality import (
    ConfirmationFactory,
    IncidentFactory,
    RootCauseFactory,
)
from tests.quality.conftest import JSON

ROLES = [
    "anonymous",
    "customer_link",
    "other_agent",
    "agent",
    "supervisor",
    "quality_manager",
    "admin_user",
]


@pytest.fixture
def confirmation(agent: User) -> ResolutionConfirmation:
    case = CaseFactory.create(team=agent.team, status=CaseStatus.RESOLVED)
    return ConfirmationFactory.create(case=case)


@pytest.fixture
def problem(agent: User) -> Problem:
    cause = RootCauseFactory.create(code="late")
    for _index in range(5):
        CaseFactory.create(
            team=agent.team,
            kind=CaseKind.COMPLAINT,
            root_cause=cause,
            status=CaseStatus.RESOLVED,
        )
    found = recurrence_check(root_cause_id=cause.pk)
    assert found is not None
    return found


@pytest.fixture
def incident(db: None) -> Incident:
    return IncidentFactory.create()


@pytest.fixture
def role_client(
    request: pytest.FixtureRequest,
    client_for: Any,
    confirmation: ResolutionConfirmation,
) -> Client:
    role = request.getfixturevalue("role")
    if role == "anonymous":
        return Client()
    if role == "customer_link":
        token = token_make(confirmation.public_key)
        return Client(headers={"Authorization": f"Bearer {token}"})
    user: User = request.getfixturevalue(role)
    return client_for(user)


READS = {
    # role: (confirmations seen, FCR, problems, incidents)
    "anonymous": (401, 401, 401, 401),
    "customer_link": (401, 401, 401, 401),
    "other_agent": (200, 403, 403, 200),
    "agent": (200, 403, 403, 200),
    "supervisor": (200, 200, 200, 200),
    "quality_manager": (200, 200, 200, 200),
    "admin_user": (200, 200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_reads_per_role(
    role_client: Client,
    role: str,
    confirmation: ResolutionConfirmation,
    problem: Problem,
    incident: Incident,
) -> None:
    responses = (
        role_client.get("/api/v1/quality/confirmations"),
        role_client.get("/api/v1/quality/fcr"),
        role_client.get(f"/api/v1/problems/{problem.pk}"),
        role_client.get(f"/api/v1/incidents/{incident.pk}"),
    )

    assert tuple(r.status_code for r in responses) == READS[role]
    if READS[role][0] == 200:
        seen = [item["id"] for item in responses[0].json()["items"]]
        assert seen == ([] if role == "other_agent" else [confirmation.pk])


WRITES = {
    # role: (update a problem, declare an incident, reply to all)
    "anonymous": (401, 401, 401),
    "customer_link": (401, 401, 401),
    "other_agent": (403, 403, 403),
    "agent": (403, 403, 403),
    "supervisor": (403, 201, 202),
    "quality_manager": (200, 201, 202),
    "admin_user": (200, 201, 202),
}


@pytest.mark.parametrize("role", ROLES)
def test_writes_per_role(
    role_client: Client, role: str, problem: Problem, incident: Incident
) -> None:
    audits = AuditEvent.objects.count()

    responses = (
        role_client.patch(
            f"/api/v1/problems/{problem.pk}",
            {"version": 1, "corrective_action": "Nouveau transporteur"},
            content_type=JSON,
        ),
        role_client.post("/api/v1/incidents", {"title": "Panne"}, content_type=JSON),
        role_client.post(
            f"/api/v1/incidents/{incident.pk}/replies",
            {"body_fr": "Bonjour"},
            content_type=JSON,
        ),
    )

    assert tuple(r.status_code for r in responses) == WRITES[role]
    if WRITES[role] == (403, 403, 403) or WRITES[role][0] == 401:
        assert AuditEvent.objects.count() == audits
        assert Incident.objects.count() == 1
        problem.refresh_from_db()
        assert problem.corrective_action == ""


@pytest.mark.parametrize("role", ["other_agent", "agent"])
def test_an_agent_links_only_cases_they_see(
    role_client: Client, role: str, incident: Incident, agent: User
) -> None:
    case: Case = CaseFactory.create(team=agent.team)

    response = role_client.post(
        f"/api/v1/incidents/{incident.pk}/cases",
        {"case_ids": [case.pk]},
        content_type=JSON,
    )

    assert response.status_code == (404 if role == "other_agent" else 200)
    assert incident.links.count() == (0 if role == "other_agent" else 1)
