"""Every gestures endpoint for every role: anonymous, agent of another team, agent,
supervisor, quality manager, administrator. Refusals leak nothing and write
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.gestures.models import (
    AuthorityLimit,
    Budget,
    Gesture,
    GestureReason,
    GestureType,
)
from amiable.gestures.services import gesture_propose
from tests.factories.gestures import BudgetFactory

ROLES = [
    "anonymous",
    "other_agent",
    "agent",
    "supervisor",
    "quality_manager",
    "admin_user",
]
JSON = "application/json"


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
def pending(agent: User, case: Case, voucher: GestureType) -> Gesture:
    """The agent's 45 € request, waiting for a supervisor."""
    return gesture_propose(
        actor=agent,
        customer=case.customer,
        case=case,
        gesture_type=voucher,
        reason=voucher.reasons.get(),
        value=Decimal("45.00"),
    ).gesture


def _expect(status: dict[str, int], role: str) -> int:
    return status[role]


def _written() -> tuple[int, int]:
    return Gesture.objects.count(), AuditEvent.objects.count()


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_gesture(role_client: Client, pending: Gesture, role: str) -> None:
    response = role_client.get(f"/api/v1/gestures/{pending.pk}")

    expected = {"anonymous": 401, "other_agent": 404}.get(role, 200)
    assert response.status_code == expected
    assert ("45.00" in response.content.decode()) is (expected == 200)


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        ("other_agent", 0),
        ("agent", 1),
        ("supervisor", 1),
        ("quality_manager", 1),
        ("admin_user", 1),
    ],
)
def test_the_list_shows_only_visible_gestures(
    role_client: Client, pending: Gesture, role: str, seen: int
) -> None:
    response = role_client.get("/api/v1/gestures")

    assert [item["id"] for item in response.json()["items"]] == [pending.pk] * seen


@pytest.mark.parametrize("role", ROLES)
def test_proposing_on_a_case(
    role_client: Client,
    case: Case,
    voucher: GestureType,
    reason: GestureReason,
    role: str,
) -> None:
    before = Gesture.objects.count()

    response = role_client.post(
        "/api/v1/gestures",
        data={
            "case_id": case.pk,
            "gesture_type_id": voucher.pk,
            "reason_id": reason.pk,
            "value": "5.00",
        },
        content_type=JSON,
    )

    expected = {"anonymous": 401, "other_agent": 404}.get(role, 201)
    assert response.status_code == expected
    assert Gesture.objects.count() == before + (1 if expected == 201 else 0)


DECIDE = {
    "anonymous": 401,
    "other_agent": 404,
    "agent": 403,
    "supervisor": 200,
    "quality_manager": 200,
    "admin_user": 200,
}


@pytest.mark.parametrize("action", ["approve", "reject", "escalate"])
@pytest.mark.parametrize("role", ROLES)
def test_deciding(
    role_client: Client, pending: Gesture, role: str, action: str
) -> None:
    before = _written()

    response = role_client.post(
        f"/api/v1/gestures/{pending.pk}/{action}",
        data={"reason": "Vu"},
        content_type=JSON,
    )

    expected = DECIDE[role]
    assert response.status_code == expected
    if expected != 200:
        assert _written() == before
        assert Gesture.objects.get().status == "pending"


ROLE_GATED = {
    "anonymous": 401,
    "other_agent": 403,
    "agent": 403,
    "supervisor": 200,
    "quality_manager": 200,
    "admin_user": 200,
}


@pytest.mark.parametrize(
    "path",
    ["/approvals", "/reports/spend", "/export.csv", "/campaigns", "/settings"],
)
@pytest.mark.parametrize("role", ROLES)
def test_supervisor_pages(
    role_client: Client, pending: Gesture, role: str, path: str
) -> None:
    response = role_client.get(f"/api/v1/gestures{path}")

    assert response.status_code == ROLE_GATED[role]


@pytest.mark.parametrize(
    "path",
    ["/types", "/reasons", "/limits", "/budgets", "/consistency?gesture_type_id=1"],
)
@pytest.mark.parametrize("role", ROLES)
def test_staff_reads(
    role_client: Client, voucher: GestureType, role: str, path: str
) -> None:
    response = role_client.get(f"/api/v1/gestures{path}")

    assert response.status_code == (401 if role == "anonymous" else 200)


def test_budgets_are_scoped_to_the_team(
    token_for: Callable[[User], str],
    agent: User,
    other_agent: User,
    quality_manager: User,
    voucher: GestureType,
) -> None:
    BudgetFactory.create(team=agent.team, gesture_type=voucher)

    def seen(user: User) -> int:
        client = Client(headers={"Authorization": f"Bearer {token_for(user)}"})
        return len(client.get("/api/v1/gestures/budgets").json())

    assert (seen(agent), seen(other_agent), seen(quality_manager)) == (1, 0, 1)


CONFIG_WRITES = {
    "anonymous": 401,
    "other_agent": 403,
    "agent": 403,
    "supervisor": 403,
    "quality_manager": 403,
}


def _config_bodies(
    voucher: GestureType, reason: GestureReason, case: Case
) -> dict[str, tuple[str, str, dict[str, Any], int]]:
    return {
        "type": (
            "post",
            "/types",
            {
                "code": "gift",
                "name_fr": "Cadeau",
                "name_en": "Gift",
                "kind": "gift",
                "unit": "item",
                "reason_ids": [reason.pk],
            },
            201,
        ),
        "type_patch": ("patch", f"/types/{voucher.pk}", {"name_en": "Gift card"}, 200),
        "reason": (
            "post",
            "/reasons",
            {"code": "broken", "name_fr": "Cassé", "name_en": "Broken"},
            201,
        ),
        "limit": (
            "post",
            "/limits",
            {
                "role": "agent",
                "gesture_type_id": voucher.pk,
                "max_per_gesture": "40.00",
            },
            200,
        ),
        "budget": (
            "post",
            "/budgets",
            {
                "team_id": case.team_id,
                "gesture_type_id": voucher.pk,
                "month": timezone.localdate().isoformat(),
                "amount": "500.00",
            },
            200,
        ),
        "settings": ("patch", "/settings", {"price_protection_window_days": 21}, 200),
    }


@pytest.mark.parametrize(
    "write", ["type", "type_patch", "reason", "limit", "budget", "settings"]
)
@pytest.mark.parametrize("role", ROLES)
def test_configuration_is_for_administrators(
    role_client: Client,
    voucher: GestureType,
    reason: GestureReason,
    case: Case,
    role: str,
    write: str,
) -> None:
    method, path, data, created = _config_bodies(voucher, reason, case)[write]
    before = (
        AuditEvent.objects.count(),
        GestureType.objects.count(),
        AuthorityLimit.objects.count(),
        Budget.objects.count(),
    )

    response = getattr(role_client, method)(
        f"/api/v1/gestures{path}", data=data, content_type=JSON
    )

    expected = CONFIG_WRITES.get(role, created)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert before == (
            AuditEvent.objects.count(),
            GestureType.objects.count(),
            AuthorityLimit.objects.count(),
            Budget.objects.count(),
        )
        assert GestureType.objects.get(pk=voucher.pk).name_en == "Voucher"


def test_no_cursor_tampering_crashes(
    token_for: Callable[[User], str], supervisor: User
) -> None:
    client = Client(headers={"Authorization": f"Bearer {token_for(supervisor)}"})

    response = client.get("/api/v1/gestures?cursor=bm90LWEtY3Vyc29y")

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["cursor"]


def test_dates_are_parsed_in_the_team_time_zone(
    token_for: Callable[[User], str],
    supervisor: User,
    case: Case,
    voucher: GestureType,
    agent: User,
) -> None:
    gesture = gesture_propose(
        actor=agent,
        customer=case.customer,
        case=case,
        gesture_type=voucher,
        reason=voucher.reasons.get(),
        value=Decimal("3.00"),
    ).gesture
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris.
    Gesture.objects.filter(pk=gesture.pk).update(
        applied_at=dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)
    )
    client = Client(headers={"Authorization": f"Bearer {token_for(supervisor)}"})

    january = client.get(
        "/api/v1/gestures/reports/spend?date_from=2026-01-01&date_to=2026-01-31"
    ).json()
    february = client.get(
        "/api/v1/gestures/reports/spend?date_from=2026-02-01&date_to=2026-02-28"
    ).json()

    assert (january["rows"], [row["count"] for row in february["rows"]]) == ([], [1])
