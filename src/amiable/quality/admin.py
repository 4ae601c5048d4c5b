"""Admin: the quality settings (configuration, editable by administrators);
confirmations, problems and incidents are read-only here (they change through
their audited services and pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from amiable.core.admin import AmiableAdmin, is_admin_user
from amiable.quality.models import (
    Incident,
    IncidentBulkAction,
    Problem,
    QualitySettings,
    ResolutionConfirmation,
)


@admin.register(QualitySettings)
class QualitySettingsAdmin(AmiableAdmin):
    list_display = (
        "__str__",
        "is_confirmation_enabled",
        "recurrence_threshold",
        "recurrence_window_days",
    )
    raw_id_fields = ("default_problem_owner",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request) and not QualitySettings.objects.exists()

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_admin_user(request)


@admin.register(ResolutionConfirmation)
class ResolutionConfirmationAdmin(AmiableAdmin):
    list_display = ("case", "status", "is_solved", "first_contact", "answered_at")
    list_filter = ("status", "is_solved")
    list_select_related = ("case",)
    raw_id_fields = ("case", "customer", "interaction")
    exclude = ("public_key",)


@admin.register(Problem)
class ProblemAdmin(AmiableAdmin):
    list_display = (
        "title",
        "root_cause",
        "status",
        "action_status",
        "owner",
        "opened_at",
    )
    list_filter = ("status", "action_status")
    list_select_related = ("root_cause", "owner")
    raw_id_fields = ("root_cause", "owner")


@admin.register(Incident)
class IncidentAdmin(AmiableAdmin):
    list_display = ("title", "kind", "status", "started_at", "resolved_at")
    list_filter = ("kind", "status")
    raw_id_fields = ("owner", "created_by", "root_cause")


@admin.register(IncidentBulkAction)
class IncidentBulkActionAdmin(AmiableAdmin):
    list_display = ("incident", "kind", "status", "done_count", "failed_count")
    list_filter = ("kind", "status")
    raw_id_fields = ("incident", "requested_by", "root_cause")
