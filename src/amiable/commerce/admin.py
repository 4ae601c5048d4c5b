"""Admin for the catalogue (edited through services) and read-only orders."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from amiable.accounts.models import User
from amiable.commerce.models import (
    Order,
    OrderLine,
    Product,
    QuarantinedTrackingEvent,
    Shipment,
    TrackingEvent,
)
from amiable.commerce.services import product_create, product_update
from amiable.core.admin import AmiableAdmin, ReadOnlyTabularInline, is_admin_user


@admin.register(Product)
class ProductAdmin(AmiableAdmin):
    list_display = ("sku", "name", "price", "currency", "is_active")
    list_filter = ("is_active", "currency")
    search_fields = ("^sku", "name")
    fields = ("sku", "name", "price", "currency", "is_active")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)

    def get_readonly_fields(
        self, request: HttpRequest, obj: Product | None = None
    ) -> list[str]:
        return ["sku", "currency"] if obj is not None else []

    def save_model(
        self,
        request: HttpRequest,
        obj: Product,
        form: ModelForm[Product],
        change: bool,
    ) -> None:
        actor = request.user if isinstance(request.user, User) else None
        if change:
            current = Product.objects.get(pk=obj.pk)
            changes = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in {"name", "price", "is_active"}
            }
            saved = product_update(actor=actor, product=current, **changes)
        else:
            saved = product_create(
                actor=actor,
                sku=obj.sku,
                name=obj.name,
                price=obj.price,
                currency=obj.currency,
            )
        obj.pk = saved.pk
        obj._state.adding = False


class OrderLineInline(ReadOnlyTabularInline):
    model = OrderLine
    raw_id_fields = ("product",)
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("product")


class ShipmentInline(ReadOnlyTabularInline):
    model = Shipment


@admin.register(Order)
class OrderAdmin(AmiableAdmin):
    list_display = (
        "external_ref",
        "customer",
        "placed_at",
        "status",
        "total",
        "currency",
        "promised_delivery_date",
    )
    list_filter = ("status",)
    list_select_related = ("customer",)
    raw_id_fields = ("customer",)
    search_fields = ("=external_ref",)
    inlines = [OrderLineInline, ShipmentInline]


class TrackingEventInline(ReadOnlyTabularInline):
    model = TrackingEvent
    show_change_link = False


@admin.register(Shipment)
class ShipmentAdmin(AmiableAdmin):
    list_display = ("tracking_number", "carrier", "status", "order", "shipped_at")
    list_filter = ("status",)
    list_select_related = ("order",)
    raw_id_fields = ("order",)
    search_fields = ("=tracking_number",)
    inlines = [TrackingEventInline]


@admin.register(QuarantinedTrackingEvent)
class QuarantinedTrackingEventAdmin(AmiableAdmin):
    """Carrier events for unknown tracking numbers (replayed when the shipment is
    recorded)."""

    list_display = (
        "carrier",
        "tracking_number",
        "external_id",
        "status",
        "occurred_at",
        "source",
        "received_at",
        "resolved_at",
    )
    list_filter = ("status", "source")
    search_fields = ("=tracking_number", "=external_id")
    raw_id_fields = ("resolved_event",)
