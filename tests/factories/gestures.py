"""Factories of the gestures app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from amiable.accounts.models import Role
from amiable.gestures.models import (
    AuthorityLimit,
    Budget,
    Gesture,
    GestureKind,
    GestureReason,
    GestureStatus,
    GestureType,
    GestureUnit,
    PromotionSuppression,
)
from tests.factories import CustomerFactory, ProductFactory


class GestureReasonFactory(DjangoModelFactory[GestureReason]):
    class Meta:
        model = GestureReason
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"reason-{n}")
    name_fr = factory.LazyAttribute(lambda reason: f"Motif {reason.code}")
    name_en = factory.LazyAttribute(lambda reason: f"Reason {reason.code}")


class GestureTypeFactory(DjangoModelFactory[GestureType]):
    class Meta:
        model = GestureType
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"type-{n}")
    name_fr = "Bon d’achat"
    name_en = "Voucher"
    kind = GestureKind.VOUCHER
    unit = GestureUnit.MONEY
    currency = "EUR"

    @factory.post_generation  # type: ignore[untyped-decorator]
    def reasons(
        obj: GestureType, create: bool, extracted: object, **kwargs: object
    ) -> None:  # noqa: N805
        if create and extracted:
            obj.reasons.set(extracted)  # type: ignore[arg-type]


class AuthorityLimitFactory(DjangoModelFactory[AuthorityLimit]):
    class Meta:
        model = AuthorityLimit

    role = Role.AGENT
    team = None
    gesture_type = factory.SubFactory(GestureTypeFactory)
    max_per_gesture = Decimal("30.00")
    max_per_customer = None
    period_days = 30


class BudgetFactory(DjangoModelFactory[Budget]):
    class Meta:
        model = Budget

    gesture_type = factory.SubFactory(GestureTypeFactory)
    month = factory.LazyFunction(lambda: timezone.localdate().replace(day=1))
    amount = Decimal("100.00")


class GestureFactory(DjangoModelFactory[Gesture]):
    """An applied gesture (history for consistency and approver pages)."""

    class Meta:
        model = Gesture

    customer = factory.SubFactory(CustomerFactory)
    gesture_type = factory.SubFactory(GestureTypeFactory)
    reason = factory.SubFactory(GestureReasonFactory)
    value = Decimal("20.00")
    cost = factory.LazyAttribute(lambda gesture: gesture.value)
    currency = "EUR"
    status = GestureStatus.APPLIED
    customer_tier = "standard"
    requested_at = factory.LazyFunction(timezone.now)
    applied_at = factory.LazyAttribute(lambda gesture: gesture.requested_at)
    idempotency_key = factory.Sequence(lambda n: f"history-{n}")


class PromotionSuppressionFactory(DjangoModelFactory[PromotionSuppression]):
    class Meta:
        model = PromotionSuppression

    customer = factory.SubFactory(CustomerFactory)
    product = factory.SubFactory(ProductFactory)
    reason = "price drop 59.90 -> 49.90 EUR"
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyAttribute(lambda row: row.starts_at + dt.timedelta(days=30))
