"""Two agents spending the last euro of a budget at once: one wins."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection

from amiable.accounts.models import Role
from amiable.gestures.errors import BudgetExhaustedError
from amiable.gestures.models import Budget, Gesture, GestureStatus, WhenSpent
from amiable.gestures.services import gesture_propose
from tests.factories import CaseFactory, CustomerFactory, TeamFactory, UserFactory
from tests.factories.gestures import (
    AuthorityLimitFactory,
    BudgetFactory,
    GestureReasonFactory,
    GestureTypeFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_agents_spending_the_last_euro_at_once_one_wins() -> None:
    team = TeamFactory.create(name="Course")
    reason = GestureReasonFactory.create(code="race")
    voucher = GestureTypeFactory.create(code="race-voucher", reasons=[reason])
    AuthorityLimitFactory.create(
        role=Role.AGENT, gesture_type=voucher, max_per_gesture=Decimal("50")
    )
    BudgetFactory.create(
        team=team,
        gesture_type=voucher,
        amount=Decimal("1.00"),
        when_spent=WhenSpent.BLOCK,
    )
    agents = [UserFactory.create(username=f"racer{n}", team=team) for n in range(2)]
    cases = [
        CaseFactory.create(customer=CustomerFactory.create(), team=team)
        for _n in range(2)
    ]
    barrier = threading.Barrier(2)

    def spend(index: int) -> str:
        try:
            barrier.wait(timeout=10)
            gesture_propose(
                actor=agents[index],
                customer=cases[index].customer,
                case=cases[index],
                gesture_type=voucher,
                reason=reason,
                value=Decimal("1.00"),
            )
        except BudgetExhaustedError:
            return "refused"
        finally:
            connection.close()
        return "applied"

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(pool.map(spend, range(2)))

    assert outcomes == ["applied", "refused"]
    assert Budget.objects.get().consumed == Decimal("1.00")
    assert list(Gesture.objects.values_list("status", flat=True)) == [
        GestureStatus.APPLIED
    ]
