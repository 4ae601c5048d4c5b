"""Proposing and applying gestures: authority, idempotency, ledger, event, budget."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from amiable.accounts.models import Role, Team, User
from amiable.cases.models import Case, CaseCost
from amiable.conversations.models import Channel, Interaction
from amiable.customers.models import Customer
from amiable.events.models import DomainEvent
from amiable.gestures.errors import BudgetExhaustedError, GestureInvalidError
from amiable.gestures.models import (
    ApprovalStep,
    Budget,
    Gesture,
    GestureReason,
    GestureStatus,
    GestureType,
    GestureUnit,
    WhenSpent,
)
from amiable.gestures.services import gesture_propose
from amiable.notifications.models import Notification
from tests.factories import CaseFactory, OrderFactory, OrderLineFactory
from tests.factories.gestures import (
    AuthorityLimitFactory,
    BudgetFactory,
    GestureFactory,
    GestureReasonFactory,
    GestureTypeFactory,
)

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


def propose(
    actor: User, case: Case, gesture_type: GestureType, value: str, **extra: Any
) -> Gesture:
    reason = extra.pop("reason", None) or gesture_type.reasons.get()
    return gesture_propose(
        actor=actor,
        customer=case.customer,
        case=case,
        gesture_type=gesture_type,
        reason=reason,
        value=Decimal(value),
        **extra,
    ).gesture


def test_an_agent_within_limits_applies_at_once(
    agent: User, case: Case, voucher: GestureType
) -> None:
    gesture = propose(agent, case, voucher, "25.50")

    ledger = list(
        CaseCost.objects.filter(case=case).values_list(
            "kind", "amount", "currency", "source"
        )
    )
    assert gesture.status == GestureStatus.APPLIED
    assert gesture.applied_by == agent
    assert ledger == [
        ("gesture", Decimal("25.50"), "EUR", f"gestures.gesture:{gesture.pk}")
    ]
    assert ApprovalStep.objects.count() == 0


def test_applying_emits_gesture_applied_once_and_writes_the_timeline(
    agent: User,
    case: Case,
    voucher: GestureType,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        gesture = propose(agent, case, voucher, "10.00")

    assert gesture.applied_at is not None
    events = DomainEvent.objects.filter(name="gesture.applied")
    activity = Interaction.objects.get(case=case, channel=Channel.SYSTEM)
    assert [event.payload for event in events] == [
        {
            "gesture_id": gesture.pk,
            "customer_id": case.customer_id,
            "case_id": case.pk,
            "order_id": None,
            "kind": "voucher",
            "amount": "10.00",
            "currency": "EUR",
            "applied_at": gesture.applied_at.isoformat().replace("+00:00", "Z"),
        }
    ]
    assert "Bon d’achat" in activity.body_text
    assert "Livraison en retard" in activity.body_text


def test_above_the_limit_a_request_goes_to_the_supervisor(
    agent: User, supervisor: User, case: Case, voucher: GestureType
) -> None:
    # Tuesday 3 March 2026, 10:00 in Paris: four business hours later is 14:00.
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        gesture = propose(agent, case, voucher, "30.01")

    step = ApprovalStep.objects.get(gesture=gesture)
    assert gesture.status == GestureStatus.PENDING
    assert (step.level, step.team, step.decision) == (
        Role.SUPERVISOR,
        case.team,
        "pending",
    )
    assert step.due_at == dt.datetime(2026, 3, 3, 13, 0, tzinfo=dt.UTC)
    assert CaseCost.objects.count() == 0
    assert DomainEvent.objects.filter(name="gesture.applied").count() == 0
    assert list(
        Notification.objects.values_list("recipient__username", "kind", "url")
    ) == [("supervisor", "gesture.approval_requested", f"/gestures/{gesture.pk}/")]


def test_the_same_idempotency_key_makes_one_gesture_and_one_ledger_entry(
    agent: User, case: Case, voucher: GestureType
) -> None:
    first = propose(agent, case, voucher, "12.00", idempotency_key="click-1")
    second = propose(agent, case, voucher, "12.00", idempotency_key="click-1")

    assert first.pk == second.pk
    assert Gesture.objects.count() == 1
    assert CaseCost.objects.count() == 1


def test_another_agent_may_use_the_same_key(
    agent: User, case: Case, voucher: GestureType, team: Team
) -> None:
    from tests.factories import UserFactory

    colleague = UserFactory.create(username="colleague", team=team)

    propose(agent, case, voucher, "5.00", idempotency_key="k")
    propose(colleague, case, voucher, "5.00", idempotency_key="k")

    assert Gesture.objects.count() == 2


@pytest.mark.parametrize(
    ("value", "field"),
    [("0", "value"), ("-1", "value"), ("1.234", "value")],
)
def test_bad_values_are_refused_and_nothing_is_written(
    agent: User, case: Case, voucher: GestureType, value: str, field: str
) -> None:
    with pytest.raises(GestureInvalidError) as raised:
        propose(agent, case, voucher, value)

    assert field in raised.value.fields
    assert Gesture.objects.count() == 0


def test_a_reason_of_another_type_is_refused(
    agent: User, case: Case, voucher: GestureType
) -> None:
    other = GestureReasonFactory.create(code="other")

    with pytest.raises(GestureInvalidError) as raised:
        propose(agent, case, voucher, "5.00", reason=other)

    assert list(raised.value.fields) == ["reason_id"]


def test_a_type_that_needs_an_order_line_refuses_none_and_lines_of_others(
    agent: User, case: Case, reason: GestureReason
) -> None:
    refund = GestureTypeFactory.create(
        code="partial",
        kind="partial_refund",
        requires_order_line=True,
        reasons=[reason],
    )
    AuthorityLimitFactory.create(gesture_type=refund, max_per_gesture=Decimal("50"))
    foreign = OrderLineFactory.create()

    with pytest.raises(GestureInvalidError) as missing:
        propose(agent, case, refund, "5.00")
    with pytest.raises(GestureInvalidError) as foreign_line:
        propose(agent, case, refund, "5.00", order_line=foreign)

    assert list(missing.value.fields) == ["order_line_id"]
    assert list(foreign_line.value.fields) == ["order_line_id"]


def test_an_item_costs_the_price_paid_on_its_line(
    agent: User, case: Case, reason: GestureReason
) -> None:
    replacement = GestureTypeFactory.create(
        code="replacement", kind="replacement", unit=GestureUnit.ITEM, reasons=[reason]
    )
    AuthorityLimitFactory.create(gesture_type=replacement, max_per_gesture=Decimal("2"))
    line = OrderLineFactory.create(
        order=OrderFactory.create(customer=case.customer),
        unit_price=Decimal("19.99"),
        quantity=3,
    )

    gesture = propose(agent, case, replacement, "2", order_line=line)

    assert (gesture.status, gesture.cost) == (GestureStatus.APPLIED, Decimal("39.98"))
    assert CaseCost.objects.get().amount == Decimal("39.98")


def test_the_rolling_limit_per_customer_counts_what_was_granted(
    agent: User, case: Case, reason: GestureReason
) -> None:
    points = GestureTypeFactory.create(
        code="points", unit=GestureUnit.POINTS, reasons=[reason]
    )
    AuthorityLimitFactory.create(
        gesture_type=points,
        max_per_gesture=Decimal("500"),
        max_per_customer=Decimal("600"),
        period_days=30,
    )
    GestureFactory.create(
        customer=case.customer,
        gesture_type=points,
        value=Decimal("400"),
        applied_at=timezone.now() - dt.timedelta(days=29),
    )
    GestureFactory.create(
        customer=case.customer,
        gesture_type=points,
        value=Decimal("400"),
        applied_at=timezone.now() - dt.timedelta(days=31),
    )

    within = propose(agent, case, points, "200")
    above = propose(agent, case, points, "1")

    assert within.status == GestureStatus.APPLIED
    assert above.status == GestureStatus.PENDING


def test_a_team_limit_wins_over_the_all_teams_limit(
    agent: User, case: Case, voucher: GestureType, team: Team
) -> None:
    AuthorityLimitFactory.create(
        role=Role.AGENT, team=team, gesture_type=voucher, max_per_gesture=Decimal("80")
    )

    assert propose(agent, case, voucher, "75.00").status == GestureStatus.APPLIED


def test_a_role_without_a_limit_always_asks(
    quality_manager: User, customer: Customer, reason: GestureReason
) -> None:
    gift = GestureTypeFactory.create(code="gift", kind="gift", reasons=[reason])
    case = CaseFactory.create(customer=customer)

    gesture = propose(quality_manager, case, gift, "1.00")

    assert gesture.status == GestureStatus.PENDING
    assert ApprovalStep.objects.get(gesture=gesture).level == Role.ADMIN


def test_an_administrator_applies_without_a_limit(
    admin_user: User, case: Case, reason: GestureReason
) -> None:
    gift = GestureTypeFactory.create(code="gift", kind="gift", reasons=[reason])

    assert propose(admin_user, case, gift, "999.00").status == GestureStatus.APPLIED


def test_a_spent_budget_that_blocks_refuses_and_writes_nothing(
    agent: User, case: Case, voucher: GestureType, team: Team
) -> None:
    BudgetFactory.create(
        team=team,
        gesture_type=voucher,
        amount=Decimal("20.00"),
        when_spent=WhenSpent.BLOCK,
    )

    ok = propose(agent, case, voucher, "15.00")
    with pytest.raises(BudgetExhaustedError):
        propose(agent, case, voucher, "5.01")

    budget = Budget.objects.get()
    assert ok.status == GestureStatus.APPLIED
    assert budget.consumed == Decimal("15.00")
    assert Gesture.objects.count() == 1
    assert CaseCost.objects.count() == 1


def test_a_spent_budget_that_asks_for_approval_sends_the_request_up(
    agent: User, case: Case, voucher: GestureType, team: Team
) -> None:
    BudgetFactory.create(team=team, gesture_type=voucher, amount=Decimal("20.00"))

    propose(agent, case, voucher, "20.00")
    waiting = propose(agent, case, voucher, "0.01")

    assert waiting.status == GestureStatus.PENDING
    assert Budget.objects.get().consumed == Decimal("20.00")
    assert ApprovalStep.objects.get(gesture=waiting).level == Role.SUPERVISOR


@pytest.mark.parametrize(
    ("requested", "due"),
    [
        # Friday 17:00 in Paris: one hour on Friday, three on Monday from 09:00.
        (
            dt.datetime(2026, 3, 6, 16, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 3, 9, 11, 0, tzinfo=dt.UTC),
        ),
        # Thursday 30 April 17:00 (CEST): Friday 1 May is a holiday, so Monday.
        (
            dt.datetime(2026, 4, 30, 15, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 5, 4, 10, 0, tzinfo=dt.UTC),
        ),
    ],
    ids=["over-the-weekend", "over-may-day"],
)
def test_an_approval_is_due_in_business_hours_of_the_team_calendar(
    agent: User,
    supervisor: User,
    case: Case,
    voucher: GestureType,
    requested: dt.datetime,
    due: dt.datetime,
) -> None:
    with time_machine.travel(requested, tick=False):
        gesture = propose(agent, case, voucher, "30.01")

    assert ApprovalStep.objects.get(gesture=gesture).due_at == due
