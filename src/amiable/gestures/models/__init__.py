"""Commercial gestures: the catalogue of gesture types and reasons, the authority
matrix, monthly budgets, the gestures themselves with their approval steps, their
delivery to the shop or ERP, and price protection (campaigns, compensations and the
promotions suppressed while a customer is protected)."""

from amiable.gestures.models.catalogue import (
    AuthorityLimit,
    Budget,
    CampaignStatus,
    DeliveryStatus,
    GestureKind,
    GestureReason,
    GestureSettings,
    GestureStatus,
    GestureType,
    GestureUnit,
    StepDecision,
    WhenSpent,
)
from amiable.gestures.models.gestures import ApprovalStep, Gesture, GestureDelivery
from amiable.gestures.models.price_protection import (
    Compensation,
    PriceDropCampaign,
    PromotionSuppression,
)

__all__ = [
    "ApprovalStep",
    "AuthorityLimit",
    "Budget",
    "CampaignStatus",
    "Compensation",
    "DeliveryStatus",
    "Gesture",
    "GestureDelivery",
    "GestureKind",
    "GestureReason",
    "GestureSettings",
    "GestureStatus",
    "GestureType",
    "GestureUnit",
    "PriceDropCampaign",
    "PromotionSuppression",
    "StepDecision",
    "WhenSpent",
]
