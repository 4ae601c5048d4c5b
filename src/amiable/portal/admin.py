"""Admin: one-time portal codes, read-only (only an HMAC of each code is kept)."""

from __future__ import annotations

from django.contrib import admin

from amiable.core.admin import AmiableAdmin
from amiable.portal.models import PortalCode


@admin.register(PortalCode)
class PortalCodeAdmin(AmiableAdmin):
    list_display = ("id", "customer", "created_at", "expires_at", "attempts", "used_at")
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)
    exclude = ("code_hash",)
