"""Staff pages of the gestures app."""

from amiable.gestures.views.approvals import (
    approval_queue_view,
    gesture_decide_view,
    gesture_detail_view,
    gesture_list_view,
)
from amiable.gestures.views.pages import (
    budget_list_view,
    campaign_detail_view,
    campaign_list_view,
    gesture_export_view,
    report_view,
)
from amiable.gestures.views.proposal import gesture_hint_view, gesture_propose_view

__all__ = [
    "approval_queue_view",
    "budget_list_view",
    "campaign_detail_view",
    "campaign_list_view",
    "gesture_decide_view",
    "gesture_detail_view",
    "gesture_export_view",
    "gesture_hint_view",
    "gesture_list_view",
    "gesture_propose_view",
    "report_view",
]
