"""Admin: one-time portal codes, read-only (only an HMAC of each code is kept),
and each customer's portal access (links generation), with « sign out all links »
for a customer who asks support to do it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amiable.core.admin import AmiableAdmin, is_admin_user
from amiable.portal.models import PortalAccess, PortalCode
from amiable.portal.services import portal_links_revoke


@admin.register(PortalCode)
class PortalCodeAdmin(AmiableAdmin):
    list_display = ("id", "customer", "created_at", "expires_at", "attempts", "used_at")
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)
    exclude = ("code_hash",)


@admin.register(PortalAccess)
class PortalAccessAdmin(AmiableAdmin):
    list_display = ("customer", "links_generation", "revoked_at")
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)
    readonly_fields = ("customer", "links_generation", "revoked_at")
    actions = ["revoke_links"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)  # for the action; fields stay read-only

    @admin.action(description=_("Sign out all links of these customers"))
    def revoke_links(
        self, request: HttpRequest, queryset: QuerySet[PortalAccess]
    ) -> None:
        accesses = list(queryset.select_related("customer"))
        for access in accesses:
            portal_links_revoke(customer=access.customer)
        self.message_user(
            request,
            _("Links signed out for %(count)d customer(s).") % {"count": len(accesses)},
            messages.SUCCESS,
        )
