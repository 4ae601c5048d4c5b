"""Admin: survey settings (editable), surveys and answers (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from amiable.core.admin import AmiableAdmin, is_admin_user
from amiable.feedback.models import FeedbackSettings, Survey, SurveyResponse


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(AmiableAdmin):
    """The one settings row: administrators edit it (configuration, not domain data)."""

    list_display = ("__str__", "is_enabled", "throttle_days", "delivery_delay_days")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request) and not FeedbackSettings.objects.exists()

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_admin_user(request)


@admin.register(Survey)
class SurveyAdmin(AmiableAdmin):
    list_display = (
        "id",
        "kind",
        "trigger",
        "status",
        "medium",
        "customer",
        "requested_at",
        "sent_at",
        "answered_at",
    )
    list_filter = ("kind", "trigger", "status", "medium")
    list_select_related = ("customer",)
    raw_id_fields = ("customer", "case", "order", "team", "agent", "product")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(AmiableAdmin):
    list_display = ("id", "survey", "score", "created_at", "follow_up_case")
    list_select_related = ("survey", "follow_up_case")
    raw_id_fields = ("survey", "follow_up_case")
    search_fields = ("comment",)
