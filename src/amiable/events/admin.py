"""Domain events in the admin: read-only, with the handlers that got each one."""

from __future__ import annotations

from django.contrib import admin

from amiable.core.admin import AmiableAdmin, ReadOnlyTabularInline
from amiable.events.models import DomainEvent, EventDelivery


class EventDeliveryInline(ReadOnlyTabularInline):
    model = EventDelivery
    show_change_link = False


@admin.register(DomainEvent)
class DomainEventAdmin(AmiableAdmin):
    list_display = ("occurred_at", "name", "actor", "request_id")
    list_filter = ("name",)
    raw_id_fields = ("actor",)
    search_fields = ("=request_id", "^name")
    inlines = [EventDeliveryInline]
