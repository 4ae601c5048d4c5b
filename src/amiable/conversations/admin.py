"""Read-only admin for interactions and attachments, with the delivery state."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amiable.conversations.models import Attachment, Interaction
from amiable.core.admin import AmiableAdmin, ReadOnlyTabularInline


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, Any]]:
        return [
            ("failed", _("Failed")),
            ("retrying", _("Retrying")),
            ("sent", _("Sent")),
        ]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[Any]
    ) -> QuerySet[Any] | None:
        if self.value():
            return queryset.filter(metadata__delivery=self.value())
        return queryset


class AttachmentInline(ReadOnlyTabularInline):
    model = Attachment
    fields = ("filename", "content_type", "size", "is_inline")


@admin.register(Interaction)
class InteractionAdmin(AmiableAdmin):
    list_display = (
        "id",
        "occurred_at",
        "channel",
        "direction",
        "customer",
        "case",
        "subject",
        "delivery",
    )
    list_filter = ("channel", "direction", DeliveryFilter)
    list_select_related = ("customer", "case")
    raw_id_fields = ("customer", "case", "author")
    search_fields = ("=external_id",)
    ordering = ("-occurred_at", "-id")
    inlines = [AttachmentInline]

    @admin.display(description=_("delivery"))
    def delivery(self, obj: Interaction) -> str:
        metadata = obj.metadata or {}
        state = str(metadata.get("delivery") or "")
        error = str(metadata.get("delivery_error") or "")
        return f"{state}: {error}" if state in {"failed", "retrying"} else state
