"""The API of resolution, SLA clocks, escalations, queues, workload, taxonomies
and calendars: through the real endpoints, per role, nothing leaked or written."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import (
    Case,
    CaseCategory,
    CaseEscalation,
    CaseKind,
    CaseStatus,
    RootCause,
    SlaPolicy,
)
from amiable.cases.tasks import sla_scan_task
from amiable.customers.models import Customer
from amiable.sla.models import BusinessCalendar
from tests.cases.conftest import CalendarMaker, Clock, paris
from tests.factories import CaseFactory, CustomerFactory, TeamFactory

JSON = "application/json"
ROLES = [
    "anonymous",
    "other_agent",
    "agent",
    "supervisor",
    "quality_manager",
    "admin_user",
]
ClientFor = Callable[[User], Client]


@pytest.fixture
def client_for(token_for: Callable[[User], str]) -> ClientFor:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


@pytest.fixture
def role_client(
    request: pytest.FixtureRequest, client_for: ClientFor, db: None
) -> Client:
    role = request.getfixturevalue("role")
    if role == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(role))


@pytest.fixture
def agent_api(client_for: ClientFor, agent: User) -> Client:
    return client_for(agent)


@pytest.fixture
def team_case(team: Team, agent: User) -> Case:
    return CaseFactory.create(team=team, assignee=agent, subject="Colis abîmé")


def _written() -> tuple[int, int]:
    return AuditEvent.objects.count(), CaseEscalation.objects.count()


def test_hand_computed_due_times_through_the_api(
    client_for: ClientFor,
    quality_manager: User,
    customer: Customer,
    team: Team,
    policy: SlaPolicy,
    make_calendar: CalendarMaker,
) -> None:
    """Thursday 2 April 2026 16:00 + 8 business hours: Friday 3 April 15:00 on the
    national calendar, Tuesday 7 April 15:00 on the Moselle one."""
    api = client_for(quality_manager)  # sees every team's cases
    moselle = TeamFactory.create(name="Metz")
    make_calendar(team=team, name="Paris")
    make_calendar(team=moselle, name="Metz", region="57")
    due = {}
    for opened_for in (team, moselle):
        opened = api.post(
            "/api/v1/cases",
            data={
                "customer_id": customer.pk,
                "subject": "Où est mon colis ?",
                "team_id": opened_for.pk,
                "occurred_at": "2026-04-02T16:00:00+02:00",
            },
            content_type=JSON,
        )
        assert opened.status_code == 201, opened.content
        sla = api.get(f"/api/v1/cases/{opened.json()['id']}/sla").json()
        first = next(c for c in sla["clocks"] if c["metric"] == "first_response")
        due[opened_for.name] = (first["due_at"], sla["calendar"]["name"])
        assert opened.json()["sla_state"] == "on_track"

    assert due == {
        "Service client": ("2026-04-03T13:00:00Z", "Paris"),
        "Metz": ("2026-04-07T13:00:00Z", "Metz"),
    }


def test_a_complaint_cannot_be_closed_directly_409_lists_the_allowed(
    agent_api: Client, team: Team
) -> None:
    case = CaseFactory.create(team=team, kind=CaseKind.COMPLAINT)

    response = agent_api.post(
        f"/api/v1/cases/{case.pk}/status", data={"status": "closed"}, content_type=JSON
    )

    body = response.json()
    assert response.status_code == 409
    assert body["code"] == "invalid_transition"
    assert body["fields"] == {
        "status": ["Possibles : resolved, waiting_customer, waiting_third_party"]
    }
    assert Case.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_resolving_a_complaint_says_what_is_missing(
    agent_api: Client, team: Team
) -> None:
    case = CaseFactory.create(team=team, kind=CaseKind.COMPLAINT)

    response = agent_api.post(
        f"/api/v1/cases/{case.pk}/resolve",
        data={"resolution_summary": "Remboursé"},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert sorted(response.json()["fields"]) == ["category", "root_cause"]


def test_resolving_a_complaint(
    agent_api: Client, team: Team, delivery: CaseCategory, carrier_delay: RootCause
) -> None:
    case = CaseFactory.create(team=team, kind=CaseKind.COMPLAINT)

    response = agent_api.post(
        f"/api/v1/cases/{case.pk}/resolve",
        data={
            "resolution_summary": "Remboursé",
            "category": "delivery",
            "root_cause_id": carrier_delay.pk,
            "version": 1,
        },
        content_type=JSON,
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["status"], body["category"], body["root_cause_id"]) == (
        "resolved",
        "delivery",
        carrier_delay.pk,
    )
    assert body["allowed_statuses"] == ["closed", "open"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("other_agent", 404), ("agent", 200), ("admin_user", 200)],
)
def test_resolve_per_role(
    role_client: Client, team_case: Case, role: str, status: int
) -> None:
    before = _written()

    response = role_client.post(
        f"/api/v1/cases/{team_case.pk}/resolve",
        data={"resolution_summary": "Réglé"},
        content_type=JSON,
    )

    assert response.status_code == status
    assert (Case.objects.get(pk=team_case.pk).status == "resolved") is (status == 200)
    assert (_written() == before) is (status != 200)


ESCALATE_TO_ONE = {
    "anonymous": 401,
    "other_agent": 404,
    "agent": 201,
    "supervisor": 201,
    "quality_manager": 201,
    "admin_user": 201,
}


@pytest.mark.parametrize("role", ROLES)
def test_escalating_per_role(role_client: Client, team_case: Case, role: str) -> None:
    response = role_client.post(
        f"/api/v1/cases/{team_case.pk}/escalations",
        data={"level": 1, "reason": "Client menaçant un avis public"},
        content_type=JSON,
    )

    assert response.status_code == ESCALATE_TO_ONE[role]
    assert CaseEscalation.objects.count() == (1 if response.status_code == 201 else 0)


def test_an_agent_cannot_skip_to_the_quality_manager(
    agent_api: Client, team_case: Case, quality_manager: User
) -> None:
    before = _written()

    response = agent_api.post(
        f"/api/v1/cases/{team_case.pk}/escalations",
        data={"level": 2, "reason": "Je préfère"},
        content_type=JSON,
    )

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert _written() == before


def test_an_involved_quality_manager_is_refused_with_422(
    client_for: ClientFor, team_case: Case, supervisor: User, quality_manager: User
) -> None:
    client_for(quality_manager).post(
        f"/api/v1/cases/{team_case.pk}/notes",
        data={"body_text": "Vu ce matin."},
        content_type=JSON,
    )

    response = client_for(supervisor).post(
        f"/api/v1/cases/{team_case.pk}/escalations",
        data={"level": 2, "reason": "Litige", "owner_id": quality_manager.pk},
        content_type=JSON,
    )

    assert response.status_code == 422
    assert response.json()["fields"] == {"owner_id": ["Impliqué dans le dossier."]}


def test_the_escalation_history(
    client_for: ClientFor,
    team_case: Case,
    agent: User,
    supervisor: User,
    quality_manager: User,
) -> None:
    client_for(agent).post(
        f"/api/v1/cases/{team_case.pk}/escalations",
        data={"level": 1, "reason": "À l'aide"},
        content_type=JSON,
    )
    client_for(supervisor).post(
        f"/api/v1/cases/{team_case.pk}/escalations",
        data={"level": 2, "reason": "Litige"},
        content_type=JSON,
    )

    history = client_for(agent).get(f"/api/v1/cases/{team_case.pk}/escalations").json()

    assert [
        (row["previous_level"], row["level"], row["level_label"], row["reason"])
        for row in history
    ] == [(0, 1, "Superviseur", "À l'aide"), (1, 2, "Responsable qualité", "Litige")]
    assert history[1]["owner"]["id"] == quality_manager.pk
    assert history[0]["escalated_by"]["id"] == agent.pk


QUEUES = {
    "supervisor": {
        "anonymous": 401,
        "other_agent": 403,
        "agent": 403,
        "supervisor": 200,
        "quality_manager": 403,
        "admin_user": 200,
    },
    "quality": {
        "anonymous": 401,
        "other_agent": 403,
        "agent": 403,
        "supervisor": 403,
        "quality_manager": 200,
        "admin_user": 200,
    },
}


@pytest.mark.parametrize("queue", list(QUEUES))
@pytest.mark.parametrize("role", ROLES)
def test_queues_per_role(
    role_client: Client, team: Team, role: str, queue: str
) -> None:
    level = {"supervisor": 1, "quality": 2}[queue]
    CaseFactory.create(team=team, escalation_level=level, subject="Escalade urgente")
    CaseFactory.create(team=team, escalation_level=0, subject="Sans escalade")

    response = role_client.get(f"/api/v1/cases/queues/{queue}")

    content = response.content.decode()
    assert response.status_code == QUEUES[queue][role]
    assert ("Escalade urgente" in content) is (QUEUES[queue][role] == 200)
    assert "Sans escalade" not in content


def test_a_breach_escalates_and_shows_in_the_supervisor_queue(
    client_for: ClientFor,
    customer: Customer,
    team: Team,
    agent: User,
    supervisor: User,
    policy: SlaPolicy,
    clock: Clock,
) -> None:
    opened = (
        client_for(agent)
        .post(
            "/api/v1/cases",
            data={
                "customer_id": customer.pk,
                "subject": "Colis introuvable",
                "assignee_id": agent.pk,
                "occurred_at": "2026-04-02T16:00:00+02:00",
            },
            content_type=JSON,
        )
        .json()
    )
    clock.set(paris(2026, 4, 3, 15, 5))

    sla_scan_task.enqueue()

    supervisor_api = client_for(supervisor)
    queue = supervisor_api.get("/api/v1/cases/queues/supervisor").json()
    case = supervisor_api.get(f"/api/v1/cases/{opened['id']}").json()
    assert [item["id"] for item in queue["items"]] == [opened["id"]]
    assert (case["sla_state"], case["escalation_level"]) == ("breached", 1)
    breached = supervisor_api.get("/api/v1/cases?sla_state=breached").json()
    assert [item["id"] for item in breached["items"]] == [opened["id"]]


def test_queue_query_count_does_not_grow(
    client_for: ClientFor, supervisor: User, team: Team
) -> None:
    client = client_for(supervisor)
    CaseFactory.create(team=team, escalation_level=1, customer=CustomerFactory.create())

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/cases/queues/supervisor").status_code == 200
        return len(captured)

    queries()  # the token's first use is stamped once
    few = queries()
    for _n in range(20):
        CaseFactory.create(team=team, escalation_level=1)

    assert queries() == few


def test_workload_per_role(
    client_for: ClientFor, team: Team, agent: User, supervisor: User, other_agent: User
) -> None:
    CaseFactory.create(team=team, assignee=agent, status=CaseStatus.OPEN)
    CaseFactory.create(
        team=team,
        assignee=agent,
        status=CaseStatus.WAITING_CUSTOMER,
        sla_state="breached",
    )

    mine = client_for(agent).get("/api/v1/cases/queues/workload").json()
    theirs = client_for(supervisor).get("/api/v1/cases/queues/workload").json()
    hidden = client_for(other_agent).get(
        f"/api/v1/cases/queues/workload?team_id={team.pk}"
    )

    assert [row["agent"]["id"] for row in mine["agents"]] == [agent.pk]
    assert (mine["unassigned"], theirs["unassigned"]) == (0, 0)
    assert {row["agent"]["id"] for row in theirs["agents"]} == {agent.pk, supervisor.pk}
    line = next(row for row in theirs["agents"] if row["agent"]["id"] == agent.pk)
    assert (line["open_total"], line["open"], line["waiting"], line["breached"]) == (
        2,
        1,
        1,
        1,
    )
    assert hidden.status_code == 404


def test_taxonomies_and_policies(
    agent_api: Client,
    carrier_delay: RootCause,
    delivery: CaseCategory,
    policy: SlaPolicy,
) -> None:
    causes = agent_api.get("/api/v1/cases/taxonomy/root-causes").json()
    categories = agent_api.get("/api/v1/cases/taxonomy/categories").json()
    policies = agent_api.get("/api/v1/cases/sla/policies").json()

    assert [(c["code"], c["parent_id"] is None) for c in causes] == [
        ("logistics", True),
        ("carrier-delay", False),
    ]
    assert [c["code"] for c in categories] == ["delivery"]
    assert [(p["name"], p["first_response_minutes"]) for p in policies] == [
        ("Standard", 480)
    ]


CALENDAR = {
    "name": "Metz",
    "time_zone": "Europe/Paris",
    "holiday_region": "57",
    "opening_hours": [
        {"weekday": day, "start": start, "end": end}
        for day in range(5)
        for start, end in (("09:00", "12:30"), ("13:30", "18:00"))
    ],
    "exceptions": [{"day": "2026-05-15", "is_open": False, "label": "Pont"}],
}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("agent", 403),
        ("supervisor", 403),
        ("quality_manager", 403),
        ("admin_user", 201),
    ],
)
def test_only_administrators_write_calendars(
    role_client: Client, role: str, status: int
) -> None:
    before = BusinessCalendar.objects.count()

    response = role_client.post(
        "/api/v1/sla/calendars", data=CALENDAR, content_type=JSON
    )

    assert response.status_code == status
    assert BusinessCalendar.objects.count() == before + (status == 201)


def test_a_calendar_edit_is_a_new_version(
    client_for: ClientFor, admin_user: User, agent: User
) -> None:
    admin = client_for(admin_user)
    created = admin.post(
        "/api/v1/sla/calendars", data=CALENDAR, content_type=JSON
    ).json()

    replaced = admin.put(
        f"/api/v1/sla/calendars/{created['id']}",
        data={**CALENDAR, "exceptions": []},
        content_type=JSON,
    ).json()
    read = client_for(agent).get(f"/api/v1/sla/calendars/{created['id']}").json()

    assert (created["version"], replaced["version"]) == (1, 2)
    assert created["exceptions"] == [
        {"day": "2026-05-15", "is_open": False, "label": "Pont"}
    ]
    assert read["exceptions"] == []
    assert read["opening_hours"][:2] == [
        {"weekday": 0, "start": "09:00:00", "end": "12:30:00"},
        {"weekday": 0, "start": "13:30:00", "end": "18:00:00"},
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {
                "opening_hours": [
                    {"weekday": 0, "start": "09:00", "end": "13:00"},
                    {"weekday": 0, "start": "12:00", "end": "18:00"},
                ]
            },
            "opening_hours",
        ),
        ({"time_zone": "Europe/Metz"}, "time_zone"),
        (
            {"opening_hours": [{"weekday": 0, "start": "18:00", "end": "09:00"}]},
            "opening_hours",
        ),
    ],
)
def test_bad_calendars_are_422_and_write_nothing(
    client_for: ClientFor, admin_user: User, change: dict[str, Any], field: str
) -> None:
    before = BusinessCalendar.objects.count()

    response = client_for(admin_user).post(
        "/api/v1/sla/calendars", data={**CALENDAR, **change}, content_type=JSON
    )

    assert response.status_code == 422
    assert list(response.json()["fields"]) == [field]
    assert BusinessCalendar.objects.count() == before
