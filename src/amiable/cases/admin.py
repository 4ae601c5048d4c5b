"""Read-only admin for cases, their reference sequence and saved views."""

from __future__ import annotations

from django.contrib import admin

from amiable.cases.models import Case, CaseSequence, SavedView
from amiable.core.admin import AmiableAdmin


@admin.register(Case)
class CaseAdmin(AmiableAdmin):
    list_display = (
        "reference",
        "subject",
        "kind",
        "status",
        "priority",
        "team",
        "assignee",
        "customer",
        "last_activity_at",
    )
    list_filter = ("status", "kind", "priority")
    list_select_related = ("customer", "team", "assignee")
    raw_id_fields = ("customer", "assignee", "team", "orders")
    search_fields = ("=reference",)


@admin.register(CaseSequence)
class CaseSequenceAdmin(AmiableAdmin):
    list_display = ("year", "last_number")


@admin.register(SavedView)
class SavedViewAdmin(AmiableAdmin):
    list_display = ("name", "user", "query")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
