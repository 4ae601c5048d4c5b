"""Administration of the catalogue, the authority matrix, budgets and settings.
Gestures themselves are read-only here: they change through the services."""

from __future__ import annotations

from django.contrib import admin

from amiable.core.encryption import SecretsModelForm
from amiable.gestures.models import (
    ApprovalStep,
    AuthorityLimit,
    Budget,
    Gesture,
    GestureReason,
    GestureSettings,
    GestureType,
    PriceDropCampaign,
    PromotionSuppression,
)


@admin.register(GestureReason)
class GestureReasonAdmin(admin.ModelAdmin[GestureReason]):
    list_display = ("code", "name_fr", "name_en", "is_active")
    search_fields = ("code", "name_fr", "name_en")


@admin.register(GestureType)
class GestureTypeAdmin(admin.ModelAdmin[GestureType]):
    list_display = (
        "code",
        "name_fr",
        "kind",
        "unit",
        "currency",
        "requires_order_line",
        "is_active",
    )
    list_filter = ("kind", "unit", "is_active")
    filter_horizontal = ("reasons",)


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(admin.ModelAdmin[AuthorityLimit]):
    list_display = (
        "gesture_type",
        "role",
        "team",
        "max_per_gesture",
        "max_per_customer",
        "period_days",
    )
    list_filter = ("role", "gesture_type")


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin[Budget]):
    list_display = ("month", "team", "gesture_type", "amount", "consumed", "when_spent")
    list_filter = ("month", "team")
    readonly_fields = ("consumed",)


@admin.register(GestureSettings)
class GestureSettingsAdmin(admin.ModelAdmin[GestureSettings]):
    form = SecretsModelForm  # the webhook signing secret is write-only
    list_display = ("__str__", "price_protection_window_days", "webhook_url")


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Gesture)
class GestureAdmin(ReadOnlyAdmin):
    list_display = ("pk", "requested_at", "customer", "gesture_type", "value", "status")
    list_filter = ("status", "gesture_type")
    list_select_related = ("customer", "gesture_type")


@admin.register(ApprovalStep)
class ApprovalStepAdmin(ReadOnlyAdmin):
    list_display = ("gesture", "level", "decision", "due_at", "decided_by")


@admin.register(PriceDropCampaign)
class PriceDropCampaignAdmin(ReadOnlyAdmin):
    list_display = ("changed_at", "product", "previous_price", "price", "status")
    list_select_related = ("product",)


@admin.register(PromotionSuppression)
class PromotionSuppressionAdmin(ReadOnlyAdmin):
    list_display = ("customer", "product", "starts_at", "ends_at")
    list_select_related = ("customer", "product")
