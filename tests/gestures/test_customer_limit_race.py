"""Two agents granting one customer at once, together above the customer's limit
over the rolling period: one gesture applies, the other goes for approval."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from amiable.accounts.models import Role
from amiable.accounts.services import token_create
from amiable.core.locking import rows_lock
from amiable.customers.models import Customer
from amiable.gestures.models import ApprovalStep, Gesture, GestureStatus
from tests.factories import CaseFactory, CustomerFactory, TeamFactory, UserFactory
from tests.factories.gestures import (
    AuthorityLimitFactory,
    GestureReasonFactory,
    GestureTypeFactory,
)

JSON = "application/json"


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_gestures_above_the_customer_limit_apply_one(
    settings: Any,
) -> None:
    # Given an agent's limit of 50 € a gesture and 60 € per customer over 30 days
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    team = TeamFactory.create(name="Course client")
    reason = GestureReasonFactory.create(code="race-customer")
    voucher = GestureTypeFactory.create(code="race-customer", reasons=[reason])
    AuthorityLimitFactory.create(
        role=Role.AGENT,
        gesture_type=voucher,
        max_per_gesture=Decimal("50.00"),
        max_per_customer=Decimal("60.00"),
        period_days=30,
    )
    agents = [
        UserFactory.create(username=f"limit{n}", role=Role.AGENT, team=team)
        for n in range(2)
    ]
    case = CaseFactory.create(customer=CustomerFactory.create(), team=team)
    clients = [
        Client(
            headers={
                "Authorization": "Bearer "
                + token_create(actor=agent, user=agent, name="t").plaintext
            }
        )
        for agent in agents
    ]
    barrier = threading.Barrier(2)

    def propose(index: int) -> tuple[int, str]:
        try:
            barrier.wait(timeout=10)
            response = clients[index].post(
                "/api/v1/gestures",
                data={
                    "case_id": case.pk,
                    "gesture_type_id": voucher.pk,
                    "reason_id": reason.pk,
                    "value": "40.00",
                },
                content_type=JSON,
            )
        finally:
            connection.close()
        return response.status_code, response.json()["status"]

    # When both propose 40 € at the same moment (80 € together)
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(propose, range(2)))

    # Then one is applied and the other waits for a supervisor
    assert outcomes == [(201, GestureStatus.APPLIED), (201, GestureStatus.PENDING)]
    assert sorted(Gesture.objects.values_list("status", flat=True)) == [
        GestureStatus.APPLIED,
        GestureStatus.PENDING,
    ]
    pending = Gesture.objects.get(status=GestureStatus.PENDING)
    assert list(ApprovalStep.objects.values_list("gesture_id", "level")) == [
        (pending.pk, Role.SUPERVISOR)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_row_lock_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError, match="outside transaction.atomic"):
        rows_lock(Customer.objects.all())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")
@pytest.mark.django_db
def test_on_sqlite_a_row_lock_needs_immediate_transactions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = {**connection.settings_dict["OPTIONS"], "transaction_mode": "DEFERRED"}
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)

    with pytest.raises(RuntimeError, match="IMMEDIATE"):
        rows_lock(Customer.objects.all())
