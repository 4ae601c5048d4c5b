"""API schemas of the gestures app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import (
    Amount,
    Currency,
    Id,
    InSchema,
    ListQuery,
    PatchSchema,
    QuerySchema,
)
from amiable.gestures.models import (
    CampaignStatus,
    Gesture,
    GestureKind,
    GestureStatus,
    GestureType,
    GestureUnit,
    StepDecision,
    WhenSpent,
)
from amiable.gestures.selectors import SpendDimension

Value = Amount


class GestureReasonOut(Schema):
    id: int
    code: str
    name_fr: str
    name_en: str
    is_active: bool


class GestureReasonIn(InSchema):
    code: str = Field(min_length=1, max_length=60, pattern=r"^[-a-z0-9_]+$")
    name_fr: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)


class GestureTypeOut(Schema):
    id: int
    code: str
    name_fr: str
    name_en: str
    kind: GestureKind
    unit: GestureUnit
    currency: str
    unit_cost: Decimal
    requires_order_line: bool
    is_active: bool
    reason_ids: list[int]

    @staticmethod
    def resolve_reason_ids(obj: GestureType) -> list[int]:
        return sorted(reason.pk for reason in obj.reasons.all())


class GestureTypeIn(InSchema):
    code: str = Field(min_length=1, max_length=60, pattern=r"^[-a-z0-9_]+$")
    name_fr: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)
    kind: GestureKind
    unit: GestureUnit
    currency: Currency = "EUR"
    unit_cost: Amount = Decimal(0)
    requires_order_line: bool = False
    reason_ids: list[Id] = Field(default_factory=list, max_length=200)


class GestureTypePatchIn(PatchSchema):
    name_fr: str | None = Field(None, min_length=1, max_length=120)
    name_en: str | None = Field(None, min_length=1, max_length=120)
    kind: GestureKind | None = None
    unit: GestureUnit | None = None
    currency: Currency | None = None
    unit_cost: Amount | None = None
    requires_order_line: bool | None = None
    is_active: bool | None = None
    reason_ids: list[Id] | None = Field(None, max_length=200)


class AuthorityLimitOut(Schema):
    id: int
    role: str
    team_id: int | None
    gesture_type_id: int
    max_per_gesture: Decimal
    max_per_customer: Decimal | None
    period_days: int


class AuthorityLimitIn(InSchema):
    role: str = Field(pattern=r"^(agent|supervisor|quality_manager|admin)$")
    team_id: Id | None = None
    gesture_type_id: Id
    max_per_gesture: Value
    max_per_customer: Value | None = None
    period_days: int = Field(30, ge=1, le=3660)


class BudgetOut(Schema):
    id: int
    team_id: int
    gesture_type_id: int
    month: dt.date
    amount: Decimal
    consumed: Decimal
    remaining: Decimal
    consumed_percent: int
    when_spent: WhenSpent


class BudgetIn(InSchema):
    team_id: Id
    gesture_type_id: Id
    month: dt.date
    amount: Value
    when_spent: WhenSpent = WhenSpent.REQUIRE_APPROVAL


class BudgetListQuery(ListQuery):
    month: dt.date | None = None


class ApprovalStepOut(Schema):
    id: int
    level: str
    team_id: int | None
    created_at: dt.datetime
    due_at: dt.datetime
    decision: StepDecision
    decided_by_id: int | None
    decided_at: dt.datetime | None
    reason: str


class GestureOut(Schema):
    id: int
    customer_id: int
    case_id: int | None
    order_id: int | None
    order_line_id: int | None
    gesture_type_id: int
    kind: str
    reason_id: int
    value: Decimal
    currency: str
    cost: Decimal
    status: GestureStatus
    category: str
    customer_tier: str
    is_outlier: bool
    is_over_budget: bool
    team_id: int | None
    requested_by_id: int | None
    requested_at: dt.datetime
    applied_by_id: int | None
    applied_at: dt.datetime | None
    campaign_id: int | None
    note: str

    @staticmethod
    def resolve_kind(obj: Gesture) -> str:
        return str(obj.gesture_type.kind)


class GestureDetailOut(GestureOut):
    steps: list[ApprovalStepOut]

    @staticmethod
    def resolve_steps(obj: Gesture) -> list[Any]:
        return list(obj.steps.all())


class GestureProposeIn(InSchema):
    """A gesture on a case (``case_id``) or, without a case, on a customer."""

    case_id: Id | None = None
    customer_id: Id | None = None
    gesture_type_id: Id
    reason_id: Id
    value: Value
    order_line_id: Id | None = None
    note: str = Field("", max_length=2000)
    idempotency_key: str = Field(
        "",
        max_length=255,
        description="One request, one gesture; defaults to the Idempotency-Key header.",
    )


class DecisionIn(InSchema):
    reason: str = Field("", max_length=2000)


class RejectIn(InSchema):
    reason: str = Field(min_length=1, max_length=2000)


class GestureListQuery(ListQuery):
    status: GestureStatus | None = None
    customer_id: Id | None = None
    case_id: Id | None = None


class ConsistencyQuery(QuerySchema):
    gesture_type_id: Id
    category: str = Field("", max_length=80)
    customer_tier: str = Field("standard", max_length=10)
    value: Value | None = None


class ConsistencyOut(Schema):
    count: int
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    low_fence: Decimal | None
    high_fence: Decimal | None
    is_outlier: bool


class CompensationOut(Schema):
    id: int
    customer_id: int
    order_line_id: int
    quantity: int
    unit_price_paid: Decimal
    amount: Decimal
    currency: str
    gesture_id: int | None


class CampaignOut(Schema):
    id: int
    product_id: int
    previous_price: Decimal
    price: Decimal
    currency: str
    changed_at: dt.datetime
    window_days: int
    status: CampaignStatus
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_reason: str


class CampaignDetailOut(CampaignOut):
    compensations: list[CompensationOut]


class CampaignListQuery(ListQuery):
    status: CampaignStatus | None = None


class CampaignApproveIn(InSchema):
    compensation_ids: list[Id] | None = Field(
        None, max_length=10_000, description="Omit to approve every compensation."
    )


class PromotionQuery(QuerySchema):
    customer_id: Id
    product_id: Id
    at: dt.datetime | None = None


class SuppressionOut(Schema):
    id: int
    campaign_id: int | None
    reason: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class PromotionOut(Schema):
    customer_id: int
    product_id: int
    at: dt.datetime
    is_allowed: bool
    suppressions: list[SuppressionOut]


class SpendQuery(QuerySchema):
    dimension: SpendDimension = SpendDimension.REASON
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class SpendRowOut(Schema):
    key: str
    label: str
    currency: str
    count: int
    total: Decimal


class SpendOut(Schema):
    dimension: SpendDimension
    rows: list[SpendRowOut]


class ExportQuery(QuerySchema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class SettingsOut(Schema):
    supervisor_due_hours: int
    quality_manager_due_hours: int
    admin_due_hours: int
    price_protection_window_days: int
    promotion_suppression_days: int
    price_protection_type_id: int | None
    price_protection_reason_id: int | None
    webhook_url: str
    has_webhook_secret: bool


class SettingsPatchIn(PatchSchema):
    nullable_fields = frozenset(
        {"price_protection_type_id", "price_protection_reason_id"}
    )

    supervisor_due_hours: int | None = Field(None, ge=1, le=720)
    quality_manager_due_hours: int | None = Field(None, ge=1, le=720)
    admin_due_hours: int | None = Field(None, ge=1, le=720)
    price_protection_window_days: int | None = Field(None, ge=1, le=365)
    promotion_suppression_days: int | None = Field(None, ge=1, le=365)
    price_protection_type_id: Id | None = None
    price_protection_reason_id: Id | None = None
    webhook_url: str | None = Field(None, max_length=500, pattern=r"^(https?://\S+)?$")
    webhook_secret: str | None = Field(None, max_length=200)
