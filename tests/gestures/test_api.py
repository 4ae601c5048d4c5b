"""The gestures API through its real entry point: authority, approvals, the
Idempotency-Key, reports, the CSV export and the promotion check."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseCost
from amiable.gestures.models import Gesture, GestureStatus, GestureType
from tests.factories import CaseFactory, CustomerFactory, ProductFactory
from tests.factories.gestures import GestureFactory

JSON = "application/json"
ClientFor = Callable[[User], Client]


@pytest.fixture
def client_for(token_for: Callable[[User], str]) -> ClientFor:
    def make(user: User) -> Client:
        return Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    return make


def body(case: Case, voucher: GestureType, value: str, **extra: Any) -> dict[str, Any]:
    return {
        "case_id": case.pk,
        "gesture_type_id": voucher.pk,
        "reason_id": voucher.reasons.get().pk,
        "value": value,
        **extra,
    }


def post(client: Client, path: str, data: dict[str, Any], **headers: str) -> Any:
    return client.post(
        f"/api/v1/gestures{path}", data=data, content_type=JSON, headers=headers
    )


def test_an_agent_within_limits_applies_at_once(
    client_for: ClientFor, agent: User, case: Case, voucher: GestureType
) -> None:
    response = post(client_for(agent), "", body(case, voucher, "30.00"))

    data = response.json()
    assert response.status_code == 201
    assert (data["status"], data["value"], data["kind"], data["steps"]) == (
        "applied",
        "30.00",
        "voucher",
        [],
    )
    assert CaseCost.objects.get().source == f"gestures.gesture:{data['id']}"


def test_above_limits_the_request_reaches_the_supervisors_queue_not_the_requesters(
    client_for: ClientFor,
    agent: User,
    supervisor: User,
    case: Case,
    voucher: GestureType,
) -> None:
    created = post(client_for(agent), "", body(case, voucher, "45.00")).json()

    queue = client_for(supervisor).get("/api/v1/gestures/approvals").json()
    own_approval = post(client_for(agent), f"/{created['id']}/approve", {})
    approved = post(
        client_for(supervisor), f"/{created['id']}/approve", {"reason": "OK"}
    )

    assert (created["status"], created["steps"][0]["level"]) == (
        "pending",
        "supervisor",
    )
    assert [item["id"] for item in queue["items"]] == [created["id"]]
    assert own_approval.status_code == 403
    assert own_approval.json()["code"] == "self_approval"
    assert approved.status_code == 200
    assert approved.json()["status"] == "applied"
    assert CaseCost.objects.count() == 1


def test_a_supervisor_cannot_approve_his_own_request(
    client_for: ClientFor,
    supervisor: User,
    quality_manager: User,
    case: Case,
    voucher: GestureType,
) -> None:
    created = post(client_for(supervisor), "", body(case, voucher, "200.00")).json()

    refused = post(client_for(supervisor), f"/{created['id']}/approve", {})
    queue = client_for(supervisor).get("/api/v1/gestures/approvals").json()

    assert refused.status_code == 403
    assert refused.json()["code"] == "self_approval"
    assert queue["items"] == []
    assert Gesture.objects.get().status == GestureStatus.PENDING


def test_two_identical_posts_with_one_idempotency_key_make_one_ledger_entry(
    client_for: ClientFor, agent: User, case: Case, voucher: GestureType
) -> None:
    client = client_for(agent)

    first = post(
        client, "", body(case, voucher, "19.90"), **{"Idempotency-Key": "geste-42"}
    )
    second = post(
        client, "", body(case, voucher, "19.90"), **{"Idempotency-Key": "geste-42"}
    )

    assert (first.status_code, second.status_code) == (201, 201)
    assert second["Idempotent-Replayed"] == "true"
    assert first.json() == second.json()
    assert Gesture.objects.count() == 1
    assert list(CaseCost.objects.values_list("amount", flat=True)) == [Decimal("19.90")]


def test_the_body_key_survives_a_new_header_key(
    client_for: ClientFor, agent: User, case: Case, voucher: GestureType
) -> None:
    client = client_for(agent)
    data = body(case, voucher, "5.00", idempotency_key="form-1")

    first = post(client, "", data, **{"Idempotency-Key": "a"})
    second = post(client, "", data, **{"Idempotency-Key": "b"})

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert CaseCost.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"value": "-1"}, "value"),
        ({"value": "12.345"}, "value"),
        ({"reason_id": 999999}, "reason_id"),
        ({"gesture_type_id": 999999}, "gesture_type_id"),
        ({"customer_id": 1}, "case_id"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_input_is_a_clear_error_and_writes_nothing(
    client_for: ClientFor,
    agent: User,
    case: Case,
    voucher: GestureType,
    data: dict[str, Any],
    field: str,
) -> None:
    response = post(client_for(agent), "", {**body(case, voucher, "5.00"), **data})

    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert Gesture.objects.count() == 0


def test_a_rejection_without_a_reason_is_refused(
    client_for: ClientFor,
    agent: User,
    supervisor: User,
    case: Case,
    voucher: GestureType,
) -> None:
    created = post(client_for(agent), "", body(case, voucher, "45.00")).json()

    blank = post(client_for(supervisor), f"/{created['id']}/reject", {"reason": ""})
    done = post(
        client_for(supervisor), f"/{created['id']}/reject", {"reason": "Doublon"}
    )

    assert blank.status_code == 422
    assert done.json()["status"] == "rejected"
    assert done.json()["steps"][0]["reason"] == "Doublon"


def test_the_spend_report_per_reason_agent_and_team(
    client_for: ClientFor,
    agent: User,
    supervisor: User,
    case: Case,
    voucher: GestureType,
) -> None:
    client = client_for(agent)
    post(client, "", body(case, voucher, "10.00"))
    post(client, "", body(case, voucher, "2.50"))

    per_reason = (
        client_for(supervisor)
        .get("/api/v1/gestures/reports/spend?dimension=reason")
        .json()
    )
    per_agent = (
        client_for(supervisor)
        .get("/api/v1/gestures/reports/spend?dimension=agent")
        .json()
    )
    per_team = (
        client_for(supervisor)
        .get("/api/v1/gestures/reports/spend?dimension=team")
        .json()
    )
    refused = client.get("/api/v1/gestures/reports/spend")

    assert [
        (r["key"], r["count"], r["total"], r["currency"]) for r in per_reason["rows"]
    ] == [("late-delivery", 2, "12.50", "EUR")]
    assert [(r["key"], r["count"]) for r in per_agent["rows"]] == [(str(agent.pk), 2)]
    assert [(r["label"], r["total"]) for r in per_team["rows"]] == [
        ("Service client", "12.50")
    ]
    assert refused.status_code == 403


def test_the_csv_export_lists_applied_gestures_for_the_erp(
    client_for: ClientFor,
    agent: User,
    supervisor: User,
    case: Case,
    voucher: GestureType,
) -> None:
    applied = post(client_for(agent), "", body(case, voucher, "7.10")).json()
    post(client_for(agent), "", body(case, voucher, "99.00"))  # pending: not exported

    response = client_for(supervisor).get("/api/v1/gestures/export.csv")

    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(content.decode())))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [
        (
            r["gesture_id"],
            r["value"],
            r["currency"],
            r["case_reference"],
            r["customer_name"],
        )
        for r in rows
    ] == [(str(applied["id"]), "7.10", "EUR", case.reference, "Hélène Dubois")]


def test_the_promotion_check(client_for: ClientFor, agent: User) -> None:
    from tests.factories.gestures import PromotionSuppressionFactory

    suppression = PromotionSuppressionFactory.create()
    client = client_for(agent)
    at = suppression.starts_at.isoformat()

    blocked = client.get(
        "/api/v1/gestures/promotions/allowed",
        {
            "customer_id": str(suppression.customer_id),
            "product_id": str(suppression.product_id),
            "at": at,
        },
    ).json()
    free = client.get(
        "/api/v1/gestures/promotions/allowed",
        {
            "customer_id": str(CustomerFactory.create().pk),
            "product_id": str(suppression.product_id),
            "at": at,
        },
    ).json()
    unknown = client.get(
        "/api/v1/gestures/promotions/allowed",
        {"customer_id": 999999, "product_id": ProductFactory.create().pk},
    )

    assert (blocked["is_allowed"], [s["id"] for s in blocked["suppressions"]]) == (
        False,
        [suppression.pk],
    )
    assert (free["is_allowed"], free["suppressions"]) == (True, [])
    assert unknown.status_code == 404


def test_the_gesture_list_costs_the_same_for_5_and_40_gestures(
    client_for: ClientFor, agent: User, case: Case, voucher: GestureType
) -> None:
    client = client_for(agent)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/v1/gestures?limit=50")
        assert response.status_code == 200
        return len(captured)

    for _index in range(5):
        GestureFactory.create(customer=case.customer, case=case, gesture_type=voucher)
    count()  # the token's last use is written once
    few = count()
    for _index in range(35):
        GestureFactory.create(
            customer=case.customer,
            case=CaseFactory.create(team=case.team),
            gesture_type=voucher,
        )

    assert few == count() == 2  # the token, the page
