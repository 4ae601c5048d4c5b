"""Bulk actions on cases: the service (one case service call, one transaction and
one audit event per case; refusals reported, not applied) and
``POST /api/v1/cases/bulk`` per role, with its 422s and Idempotency-Key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseKind, CasePriority, CaseStatus
from amiable.cases.services import (
    BulkAction,
    BulkKind,
    BulkOutcome,
    BulkOutcomeKind,
    BulkTarget,
    case_bulk_apply,
)
from amiable.core.errors import ValidationError
from tests.factories import CaseFactory, UserFactory

JSON = "application/json"
URL = "/api/v1/cases/bulk"
ClientFor = Callable[[User], Client]
PRIORITY_HIGH = BulkAction(kind=BulkKind.PRIORITY, value=CasePriority.HIGH)


@pytest.fixture
def team_cases(team: Team) -> list[Case]:
    return [CaseFactory.create(team=team, subject=f"Colis {n}") for n in range(3)]


@pytest.fixture
def client_for(token_for: Callable[[User], str]) -> ClientFor:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


def targets(cases: list[Case]) -> list[BulkTarget]:
    return [BulkTarget(case_id=case.pk, version=case.version) for case in cases]


def audits(cases: list[Case]) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(
            object_type="cases.case", object_id__in=[str(case.pk) for case in cases]
        )
        .order_by("id")
        .values_list("object_id", "action")
    )


def test_each_case_goes_through_its_service_with_one_audit_event(
    agent: User, team_cases: list[Case]
) -> None:
    result = case_bulk_apply(
        actor=agent, targets=targets(team_cases), action=PRIORITY_HIGH
    )

    assert result.outcomes == tuple(
        BulkOutcome(case.pk, case.reference, BulkOutcomeKind.CHANGED)
        for case in team_cases
    )
    assert [
        (case.priority, case.version)
        for case in Case.objects.filter(pk__in=[c.pk for c in team_cases])
    ] == [(CasePriority.HIGH, 2)] * 3
    assert audits(team_cases) == [(str(case.pk), "case.update") for case in team_cases]


def test_taking_cases_opens_the_new_ones(agent: User, team: Team) -> None:
    cases = [CaseFactory.create(team=team, status=CaseStatus.NEW) for _ in range(2)]

    case_bulk_apply(
        actor=agent,
        targets=targets(cases),
        action=BulkAction(kind=BulkKind.ASSIGN, value="me"),
    )

    stored = Case.objects.filter(pk__in=[case.pk for case in cases])
    assert {(case.assignee_id, case.status) for case in stored} == {
        (agent.pk, CaseStatus.OPEN)
    }
    assert audits(cases) == [(str(case.pk), "case.assign") for case in cases]


def test_an_agent_cannot_give_cases_to_a_colleague(
    agent: User, team: Team, team_cases: list[Case]
) -> None:
    colleague = UserFactory.create(team=team)

    result = case_bulk_apply(
        actor=agent,
        targets=targets(team_cases),
        action=BulkAction(kind=BulkKind.ASSIGN, value=str(colleague.pk)),
    )

    assert [(item.outcome, item.code) for item in result.outcomes] == [
        (BulkOutcomeKind.REFUSED, "permission_denied")
    ] * 3
    assert not Case.objects.filter(assignee=colleague).exists()
    assert audits(team_cases) == []


def test_refusals_are_reported_and_the_others_changed(
    agent: User, team: Team, other_team: Team
) -> None:
    question = CaseFactory.create(team=team)
    complaint = CaseFactory.create(team=team, kind=CaseKind.COMPLAINT)
    stale = CaseFactory.create(team=team, version=3)
    elsewhere = CaseFactory.create(team=other_team)
    closed = BulkAction(kind=BulkKind.STATUS, value=CaseStatus.CLOSED)

    result = case_bulk_apply(
        actor=agent,
        targets=[
            BulkTarget(question.pk, 1),
            BulkTarget(complaint.pk, 1),
            BulkTarget(stale.pk, 2),
            BulkTarget(elsewhere.pk, 1),
        ],
        action=closed,
    )

    assert [(item.case_id, item.outcome, item.code) for item in result.outcomes] == [
        (question.pk, BulkOutcomeKind.CHANGED, ""),
        (complaint.pk, BulkOutcomeKind.REFUSED, "invalid_transition"),
        (stale.pk, BulkOutcomeKind.REFUSED, "version_conflict"),
        (elsewhere.pk, BulkOutcomeKind.REFUSED, "not_found"),
    ]
    assert result.outcomes[3].reference == ""
    assert dict(Case.objects.values_list("pk", "status")) == {
        question.pk: CaseStatus.CLOSED,
        complaint.pk: CaseStatus.OPEN,
        stale.pk: CaseStatus.OPEN,
        elsewhere.pk: CaseStatus.OPEN,
    }
    assert audits([question, complaint, stale, elsewhere]) == [
        (str(question.pk), "case.change_status")
    ]


def test_a_case_already_so_is_unchanged_and_not_written(
    agent: User, team: Team
) -> None:
    case = CaseFactory.create(team=team, priority=CasePriority.HIGH)

    result = case_bulk_apply(actor=agent, targets=targets([case]), action=PRIORITY_HIGH)

    assert result.count(BulkOutcomeKind.UNCHANGED) == 1
    assert Case.objects.get(pk=case.pk).version == 1
    assert audits([case]) == []


@pytest.mark.parametrize(
    ("case_ids", "action", "field"),
    [
        ([], PRIORITY_HIGH, "cases"),
        ([1, 1], PRIORITY_HIGH, "cases"),
        (list(range(1, 102)), PRIORITY_HIGH, "cases"),
        ([1], BulkAction(kind=BulkKind.STATUS, value="resolved"), "status"),
        ([1], BulkAction(kind=BulkKind.PRIORITY, value="whenever"), "priority"),
        ([1], BulkAction(kind=BulkKind.ASSIGN, value="999999"), "assignee_id"),
    ],
)
def test_a_wrong_request_is_refused_whole(
    agent: User, case_ids: list[int], action: BulkAction, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        case_bulk_apply(
            actor=agent,
            targets=[BulkTarget(case_id=pk) for pk in case_ids],
            action=action,
        )

    assert list(raised.value.fields) == [field]


def post(client: Client, data: dict[str, Any], **headers: str) -> Any:
    return client.post(URL, data=data, content_type=JSON, headers=headers)


def body(cases: list[Case], **action: Any) -> dict[str, Any]:
    return {
        "cases": [{"id": case.pk, "version": case.version} for case in cases],
        **action,
    }


@pytest.mark.parametrize(
    ("role", "status", "changed"),
    [
        ("other_agent", 200, 0),
        ("agent", 200, 3),
        ("supervisor", 200, 3),
        ("quality_manager", 200, 3),
        ("admin_user", 200, 3),
    ],
)
def test_the_api_per_role_touches_only_visible_cases(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    team_cases: list[Case],
    role: str,
    status: int,
    changed: int,
) -> None:
    user = request.getfixturevalue(role)

    response = post(
        client_for(user), body(team_cases, action="priority", priority="urgent")
    )

    data = response.json()
    assert response.status_code == status
    assert data["changed"] == changed
    assert data["refused"] == 3 - changed
    assert Case.objects.filter(priority=CasePriority.URGENT).count() == changed
    assert len(audits(team_cases)) == changed
    if changed == 0:
        assert {(item["code"], item["reference"]) for item in data["results"]} == {
            ("not_found", "")
        }


def test_the_api_refuses_the_anonymous(team_cases: list[Case]) -> None:
    response = post(Client(), body(team_cases, action="priority", priority="high"))

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert audits(team_cases) == []


def test_the_api_reports_each_case_in_order(
    client_for: ClientFor, supervisor: User, team: Team, team_cases: list[Case]
) -> None:
    colleague = UserFactory.create(team=team, first_name="Inès", last_name="Roy")
    already = CaseFactory.create(team=team, assignee=colleague)

    response = post(
        client_for(supervisor),
        body([*team_cases, already], action="assign", assignee_id=colleague.pk),
    )

    assert response.status_code == 200
    assert response.json() == {
        "changed": 3,
        "unchanged": 1,
        "refused": 0,
        "results": [
            {
                "id": case.pk,
                "reference": case.reference,
                "outcome": outcome,
                "code": "",
                "message": "",
            }
            for case, outcome in [
                *[(case, "changed") for case in team_cases],
                (already, "unchanged"),
            ]
        ],
    }
    assert Case.objects.filter(assignee=colleague).count() == 4


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"cases": [], "action": "priority", "priority": "high"}, "cases"),
        ({"cases": [{"id": 1}], "action": "close"}, "action"),
        ({"cases": [{"id": 1}], "action": "status"}, "status"),
        ({"cases": [{"id": 1}], "action": "status", "status": "resolved"}, "status"),
        ({"cases": [{"id": 1}], "action": "priority", "priority": "x"}, "priority"),
        ({"cases": [{"id": 1}], "action": "assign", "assignee_id": 99999}, None),
        ({"cases": [{"id": 1, "extra": 1}], "action": "assign"}, None),
    ],
)
def test_bad_requests_are_422_json_and_write_nothing(
    client_for: ClientFor,
    agent: User,
    team_cases: list[Case],
    data: dict[str, Any],
    field: str | None,
) -> None:
    response = post(client_for(agent), data)

    payload = response.json()
    assert response.status_code == 422
    assert payload["code"] == "validation_error"
    assert set(payload) == {"code", "message", "fields"}
    if field is not None:
        assert any(key.endswith(field) for key in payload["fields"])
    assert audits(team_cases) == []


def test_the_same_idempotency_key_replays_and_writes_once(
    client_for: ClientFor, agent: User, team_cases: list[Case]
) -> None:
    client = client_for(agent)
    data = body(team_cases, action="priority", priority="low")

    first = post(client, data, **{"Idempotency-Key": "tri-du-matin"})
    second = post(client, data, **{"Idempotency-Key": "tri-du-matin"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert second["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    assert first.json()["changed"] == 3
    assert len(audits(team_cases)) == 3
