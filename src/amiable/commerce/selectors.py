"""Reads of products, orders, shipments and tracking events."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.commerce.models import (
    Order,
    Product,
    QuarantinedTrackingEvent,
    Shipment,
    TrackingEvent,
)
from amiable.commerce.permissions import can_manage_tracking
from amiable.core.errors import NotFoundError, PermissionDeniedError


def product_list(
    *, actor: User, text: str = "", active_only: bool = False
) -> QuerySet[Product]:
    queryset = Product.objects.all()
    if active_only:
        queryset = queryset.filter(is_active=True)
    if text.strip():
        queryset = queryset.filter(name__icontains=text.strip()) | queryset.filter(
            sku__iexact=text.strip()
        )
    return queryset


def product_get(*, actor: User, product_id: int) -> Product:
    product = Product.objects.filter(pk=product_id).first()
    if product is None:
        raise NotFoundError(_("No such product."))
    return product


def order_list(
    *, actor: User, customer_id: int | None = None, status: str = ""
) -> QuerySet[Order]:
    queryset = Order.objects.select_related("customer")
    if customer_id is not None:
        queryset = queryset.filter(customer_id=customer_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def order_list_by_reference(*, actor: User, text: str) -> QuerySet[Order]:
    """Orders whose external reference is ``text`` as typed or upper-cased (the
    unique index on the reference, never a scan)."""
    reference = text.strip()
    if not reference or len(reference) > 64:
        return Order.objects.none()
    return Order.objects.select_related("customer").filter(
        external_ref__in=sorted({reference, reference.upper()})
    )


def order_with_details(queryset: QuerySet[Order]) -> QuerySet[Order]:
    """Load lines (with products), shipments and their events in four queries."""
    return queryset.prefetch_related(
        "lines__product",
        Prefetch(
            "shipments",
            queryset=Shipment.objects.prefetch_related(
                Prefetch(
                    "events",
                    queryset=TrackingEvent.objects.order_by("occurred_at", "id"),
                )
            ),
        ),
    )


def order_get(*, actor: User, order_id: int) -> Order:
    order = (
        order_with_details(Order.objects.select_related("customer"))
        .filter(pk=order_id)
        .first()
    )
    if order is None:
        raise NotFoundError(_("No such order."))
    return order


def shipment_get(*, actor: User, shipment_id: int) -> Shipment:
    shipment = Shipment.objects.select_related("order").filter(pk=shipment_id).first()
    if shipment is None:
        raise NotFoundError(_("No such shipment."))
    return shipment


def shipment_carrier(*, shipment_id: int) -> str:
    """The carrier of a shipment ("" when unknown), for events that carry only ids."""
    return (
        Shipment.objects.filter(pk=shipment_id)
        .values_list("carrier", flat=True)
        .first()
        or ""
    )


def quarantine_list(
    *,
    actor: User,
    carrier: str = "",
    tracking_number: str = "",
    unresolved_only: bool = True,
) -> QuerySet[QuarantinedTrackingEvent]:
    """Carrier events waiting for an unknown tracking number (supervisors and
    above). Raises PermissionDeniedError."""
    if not can_manage_tracking(actor):
        raise PermissionDeniedError(_("Only supervisors read the tracking quarantine."))
    queryset = QuarantinedTrackingEvent.objects.all()
    if unresolved_only:
        queryset = queryset.filter(resolved_at__isnull=True)
    if carrier.strip():
        queryset = queryset.filter(carrier__iexact=carrier.strip())
    if tracking_number.strip():
        queryset = queryset.filter(
            tracking_number__iexact="".join(tracking_number.split())
        )
    return queryset
