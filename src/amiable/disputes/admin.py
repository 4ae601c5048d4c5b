"""Admin: mediators (configuration, editable by administrators); the dispute
track itself is read-only here (it changes through its audited services)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from amiable.core.admin import AmiableAdmin, is_admin_user
from amiable.disputes.models import Dispute, LegalDeadline, Mediator, Proposal


@admin.register(Mediator)
class MediatorAdmin(AmiableAdmin):
    list_display = ("name", "website", "sector", "fee_amount", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def has_change_permission(
        self, request: HttpRequest, obj: Model | None = None
    ) -> bool:
        return is_admin_user(request)


@admin.register(Dispute)
class DisputeAdmin(AmiableAdmin):
    list_display = ("case", "stage", "mediator", "outcome", "updated_at")
    list_filter = ("stage", "outcome")
    list_select_related = ("case", "mediator")
    raw_id_fields = ("case", "mediator")


@admin.register(Proposal)
class ProposalAdmin(AmiableAdmin):
    list_display = ("dispute", "made_by", "proposed_at", "response")
    list_filter = ("made_by", "response")
    raw_id_fields = ("dispute", "recorded_by")


@admin.register(LegalDeadline)
class LegalDeadlineAdmin(AmiableAdmin):
    list_display = ("rule_code", "case", "triggered_at", "due_at", "met_at")
    list_select_related = ("case",)
    raw_id_fields = ("dispute", "case")
