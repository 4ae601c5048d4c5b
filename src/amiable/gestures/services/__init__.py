"""Services of the gestures app: every write about commercial gestures."""

from amiable.gestures.services.applying import (
    BudgetOutcome,
    Proposal,
    budget_consume,
    gesture_apply,
    gesture_propose,
)
from amiable.gestures.services.approvals import (
    approval_overdue_scan,
    approval_step_open,
    gesture_approve,
    gesture_escalate,
    gesture_reject,
)
from amiable.gestures.services.catalogue import (
    authority_limit_set,
    budget_set,
    gesture_reason_create,
    gesture_type_create,
    gesture_type_update,
)
from amiable.gestures.services.delivery import (
    GestureDeliveryFailedError,
    gesture_deliver,
    webhook_signature,
)
from amiable.gestures.services.price_protection import (
    campaign_approve,
    campaign_reject,
    price_drop_buyers,
    price_drop_campaign_propose,
)
from amiable.gestures.services.settings import (
    gesture_settings_get,
    gesture_settings_update,
)

__all__ = [
    "BudgetOutcome",
    "GestureDeliveryFailedError",
    "Proposal",
    "approval_overdue_scan",
    "approval_step_open",
    "authority_limit_set",
    "budget_consume",
    "budget_set",
    "campaign_approve",
    "campaign_reject",
    "gesture_apply",
    "gesture_approve",
    "gesture_deliver",
    "gesture_escalate",
    "gesture_propose",
    "gesture_reason_create",
    "gesture_reject",
    "gesture_settings_get",
    "gesture_settings_update",
    "gesture_type_create",
    "gesture_type_update",
    "price_drop_buyers",
    "price_drop_campaign_propose",
    "webhook_signature",
]
