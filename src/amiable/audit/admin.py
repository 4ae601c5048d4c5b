"""The audit log in the admin: read-only, searchable by object and request id."""

from __future__ import annotations

from django.contrib import admin

from amiable.audit.models import AuditEvent
from amiable.core.admin import AmiableAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(AmiableAdmin):
    list_display = (
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "request_id",
    )
    raw_id_fields = ("actor",)
    search_fields = ("=object_id", "=request_id", "^action")
