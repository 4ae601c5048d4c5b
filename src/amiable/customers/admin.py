"""Read-only admin for customers, with their identities, addresses, consents, facts."""

from __future__ import annotations

from django.contrib import admin

from amiable.core.admin import AmiableAdmin, ReadOnlyTabularInline
from amiable.customers.models import (
    Address,
    Consent,
    Customer,
    CustomerMerge,
    Identity,
    PersonalFact,
    Tag,
)


class IdentityInline(ReadOnlyTabularInline):
    model = Identity
    fields = ("kind", "value", "normalized", "platform", "is_primary", "is_verified")


class AddressInline(ReadOnlyTabularInline):
    model = Address
    fields = ("label", "line1", "line2", "postal_code", "city", "country", "is_default")


class ConsentInline(ReadOnlyTabularInline):
    model = Consent
    fields = ("purpose", "is_granted", "recorded_at", "source", "recorded_by", "note")
    show_change_link = False


class PersonalFactInline(ReadOnlyTabularInline):
    model = PersonalFact
    fields = ("category", "value", "purpose", "source", "noted_on")
    show_change_link = False


@admin.register(Customer)
class CustomerAdmin(AmiableAdmin):
    list_display = (
        "id",
        "name",
        "kind",
        "status",
        "preferred_language",
        "customer_since",
        "created_at",
    )
    list_filter = ("kind", "status")
    search_fields = ("^name", "=identities__normalized")
    raw_id_fields = ("merged_into",)
    readonly_fields = ("tags",)
    inlines = [IdentityInline, AddressInline, ConsentInline, PersonalFactInline]


@admin.register(Identity)
class IdentityAdmin(AmiableAdmin):
    list_display = ("normalized", "kind", "customer", "is_primary", "is_verified")
    list_filter = ("kind",)
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)
    search_fields = ("^normalized",)


@admin.register(Consent)
class ConsentAdmin(AmiableAdmin):
    list_display = ("customer", "purpose", "is_granted", "recorded_at", "source")
    list_filter = ("purpose", "is_granted")
    list_select_related = ("customer",)
    raw_id_fields = ("customer", "recorded_by")


@admin.register(CustomerMerge)
class CustomerMergeAdmin(AmiableAdmin):
    list_display = ("source", "target", "merged_at", "merged_by", "undone_at")
    list_select_related = ("source", "target", "merged_by")
    raw_id_fields = ("source", "target", "merged_by")


@admin.register(Tag)
class TagAdmin(AmiableAdmin):
    list_display = ("name",)
    search_fields = ("name",)
