"""Scoped reads of the gestures app."""

from amiable.gestures.selectors.approvals import (
    ApprovalContext,
    approval_context,
    approval_queue,
    approval_queue_count,
    pending_step,
)
from amiable.gestures.selectors.authority import (
    Authority,
    authority_for,
    authority_limit_list,
)
from amiable.gestures.selectors.campaigns import (
    campaign_get,
    campaign_list,
    compensation_list,
)
from amiable.gestures.selectors.consistency import (
    Consistency,
    consistency_of,
    gesture_consistency,
)
from amiable.gestures.selectors.promotions import (
    promotion_is_allowed,
    promotion_suppressions,
)
from amiable.gestures.selectors.reports import (
    SpendDimension,
    SpendRow,
    gesture_export_rows,
    gesture_spend,
)
from amiable.gestures.selectors.visibility import (
    CustomerGesture,
    budget_for,
    budget_list,
    budget_month,
    gesture_get,
    gesture_list,
    gesture_list_customer_overview,
    gesture_list_for_case,
    gesture_list_for_portal,
    gesture_reason_list,
    gesture_type_list,
    gesture_type_list_active,
    gesture_visible_queryset,
    month_start,
)

__all__ = [
    "ApprovalContext",
    "Authority",
    "Consistency",
    "SpendDimension",
    "SpendRow",
    "approval_context",
    "approval_queue",
    "approval_queue_count",
    "authority_for",
    "authority_limit_list",
    "budget_for",
    "budget_list",
    "budget_month",
    "campaign_get",
    "campaign_list",
    "compensation_list",
    "consistency_of",
    "gesture_consistency",
    "gesture_export_rows",
    "gesture_get",
    "CustomerGesture",
    "gesture_list",
    "gesture_list_customer_overview",
    "gesture_list_for_case",
    "gesture_list_for_portal",
    "gesture_reason_list",
    "gesture_spend",
    "gesture_type_list",
    "gesture_type_list_active",
    "gesture_visible_queryset",
    "month_start",
    "pending_step",
    "promotion_is_allowed",
    "promotion_suppressions",
]
