"""Consistency with similar cases: median, range, Tukey's fences, outliers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.gestures.models import GestureType
from amiable.gestures.selectors import consistency_of, gesture_consistency
from amiable.gestures.services import gesture_propose
from tests.factories.gestures import GestureFactory

D = Decimal


def test_median_range_and_fences_are_exact_decimals() -> None:
    result = consistency_of([D("10"), D("20"), D("20"), D("25"), D("30")], D("26"))

    assert (result.count, result.median, result.minimum, result.maximum) == (
        5,
        D("20.00"),
        D("10"),
        D("30"),
    )
    assert (result.low_fence, result.high_fence) == (D("12.50"), D("32.50"))
    assert result.is_outlier is False


@pytest.mark.parametrize(
    ("value", "outlier"), [(D("32.50"), False), (D("32.51"), True), (D("12.49"), True)]
)
def test_outside_the_fences_is_an_outlier(value: Decimal, outlier: bool) -> None:
    result = consistency_of([D("10"), D("20"), D("20"), D("25"), D("30")], value)

    assert result.is_outlier is outlier


def test_too_little_history_flags_nothing() -> None:
    result = consistency_of([D("10"), D("10"), D("10"), D("10")], D("500"))

    assert (result.count, result.median, result.is_outlier) == (4, D("10.00"), False)


def test_no_history() -> None:
    result = consistency_of([], D("5"))

    assert (result.has_history, result.median, result.is_outlier) == (
        False,
        None,
        False,
    )


def test_only_same_type_category_tier_and_last_twelve_months_count(
    voucher: GestureType, case: Case
) -> None:
    now = timezone.now()
    same = {"gesture_type": voucher, "category": "livraison", "customer_tier": "gold"}
    for value in ("10", "20", "30"):
        GestureFactory.create(
            value=D(value), applied_at=now - dt.timedelta(days=30), **same
        )
    GestureFactory.create(
        value=D("999"), applied_at=now - dt.timedelta(days=366), **same
    )
    GestureFactory.create(value=D("999"), **{**same, "category": "facturation"})
    GestureFactory.create(value=D("999"), **{**same, "customer_tier": "standard"})
    GestureFactory.create(value=D("999"), **{**same, "status": "pending"})

    result = gesture_consistency(
        gesture_type_id=voucher.pk,
        category="livraison",
        customer_tier="gold",
        value=D("15"),
        at=now,
    )

    assert (result.count, result.median, result.minimum, result.maximum) == (
        3,
        D("20.00"),
        D("10"),
        D("30"),
    )


def test_a_proposal_far_above_similar_cases_is_flagged(
    agent: User, case: Case, voucher: GestureType
) -> None:
    for value in ("10", "12", "15", "15", "18", "20"):
        GestureFactory.create(
            value=D(value),
            gesture_type=voucher,
            category="livraison",
            customer_tier="gold",
        )

    proposal = gesture_propose(
        actor=agent,
        customer=case.customer,
        case=case,
        gesture_type=voucher,
        reason=voucher.reasons.get(),
        value=D("29.00"),
    )

    assert proposal.gesture.is_outlier is True
