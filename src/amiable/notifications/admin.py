"""Notifications in the admin: read-only, to answer "was I told?"."""

from __future__ import annotations

from django.contrib import admin

from amiable.core.admin import AmiableAdmin
from amiable.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(AmiableAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at")
    raw_id_fields = ("recipient",)
    search_fields = ("=dedupe_key", "^kind")
