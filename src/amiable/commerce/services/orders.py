"""Commerce services: products, orders, shipments and tracking events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.accounts.permissions import can_manage_catalog
from amiable.audit.services import audit_record, snapshot
from amiable.commerce.errors import (
    DuplicateOrderReferenceError,
    DuplicateShipmentError,
    DuplicateSkuError,
)
from amiable.commerce.models import (
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.core.money import AMOUNT_LIMIT
from amiable.customers.models import Customer, CustomerStatus
from amiable.events.catalogue import (
    OrderRecorded,
    OrderStatusChanged,
    ProductPriceChanged,
    TrackingEventRecorded,
)
from amiable.events.services import event_emit

ORDER_AUDITED_FIELDS = ["status", "promised_delivery_date", "total", "currency"]


@dataclass(frozen=True)
class OrderLineIn:
    product_id: int
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class RecordedTrackingEvent:
    event: TrackingEvent
    created: bool


def _check_currency(currency: str) -> str:
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(
            _("Use a three-letter currency code."), fields={"currency": [_("e.g. EUR")]}
        )
    return code


@transaction.atomic
def product_create(
    *, actor: User | None, sku: str, name: str, price: Decimal, currency: str = "EUR"
) -> Product:
    """Add a product to the catalogue. Raises DuplicateSkuError."""
    if actor is not None and not can_manage_catalog(actor):
        raise PermissionDeniedError(_("Only administrators edit the catalogue."))
    if price < 0:
        raise ValidationError(
            _("A price cannot be negative."), fields={"price": [_("≥ 0")]}
        )
    if Product.objects.filter(sku=sku.strip()).exists():
        raise DuplicateSkuError(
            _("This SKU exists already."), fields={"sku": [_("Taken.")]}
        )
    code = _check_currency(currency)
    try:
        with transaction.atomic():
            product = Product.objects.create(
                sku=sku.strip(), name=name.strip(), price=price, currency=code
            )
    except IntegrityError as exc:  # a concurrent import created the same SKU
        raise DuplicateSkuError(
            _("This SKU exists already."), fields={"sku": [_("Taken.")]}
        ) from exc
    audit_record(
        actor=actor,
        action="product.create",
        instance=product,
        after={"sku": product.sku, "price": price},
    )
    return product


@transaction.atomic
def product_update(*, actor: User | None, product: Product, **changes: Any) -> Product:
    """Change a product's name, price or active flag."""
    if actor is not None and not can_manage_catalog(actor):
        raise PermissionDeniedError(_("Only administrators edit the catalogue."))
    allowed = {"name", "price", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed."),
            fields={
                name: [_("Unknown or read-only field.")] for name in sorted(unknown)
            },
        )
    if "price" in changes and changes["price"] < 0:
        raise ValidationError(
            _("A price cannot be negative."), fields={"price": [_("≥ 0")]}
        )
    before = snapshot(product, sorted(allowed))
    previous_price = product.price
    for name, value in changes.items():
        setattr(product, name, value)
    product.save()
    audit_record(
        actor=actor,
        action="product.update",
        instance=product,
        before=before,
        after=snapshot(product, sorted(allowed)),
    )
    if product.price != previous_price:
        event_emit(
            ProductPriceChanged(
                product_id=product.pk,
                previous_price=previous_price,
                price=product.price,
                currency=product.currency,
                changed_at=product.updated_at,
            ),
            actor=actor,
        )
    return product


@transaction.atomic
def order_create(
    *,
    actor: User | None,
    customer: Customer,
    external_ref: str,
    placed_at: dt.datetime,
    lines: Iterable[OrderLineIn],
    currency: str = "EUR",
    status: str = OrderStatus.PLACED,
    promised_delivery_date: dt.date | None = None,
) -> Order:
    """Record an order; its total is the sum of its lines. Raises ValidationError
    (also for a total too large to store), DuplicateOrderReferenceError."""
    if customer.status == CustomerStatus.MERGED:
        raise ValidationError(
            _("This customer was merged into another one."),
            fields={"customer_id": [_("Use the surviving customer.")]},
        )
    if status not in OrderStatus.values:
        raise ValidationError(_("Unknown status."), fields={"status": [_("Unknown.")]})
    line_list = list(lines)
    errors: dict[str, list[str]] = {}
    if not external_ref.strip():
        errors["external_ref"] = [_("Required.")]
    products = Product.objects.in_bulk([line.product_id for line in line_list])
    for index, line in enumerate(line_list):
        if line.product_id not in products:
            errors[f"lines.{index}.product_id"] = [_("No such product.")]
        if line.quantity <= 0:
            errors[f"lines.{index}.quantity"] = [_("Must be at least 1.")]
        if line.unit_price < 0:
            errors[f"lines.{index}.unit_price"] = [_("Cannot be negative.")]
    if promised_delivery_date is not None and promised_delivery_date < placed_at.date():
        errors["promised_delivery_date"] = [_("Cannot be before the order date.")]
    total = sum((line.unit_price * line.quantity for line in line_list), Decimal("0"))
    if total >= AMOUNT_LIMIT:
        # Each line fits its column; their sum may not fit the order's.
        errors["lines"] = [_("The order total is too large.")]
    if errors:
        raise ValidationError(_("The order is not valid."), fields=errors)
    try:
        with transaction.atomic():
            order = Order.objects.create(
                customer=customer,
                external_ref=external_ref.strip(),
                placed_at=placed_at,
                status=status,
                currency=_check_currency(currency),
                total=total,
                promised_delivery_date=promised_delivery_date,
            )
    except IntegrityError as exc:
        raise DuplicateOrderReferenceError(
            _("An order with this reference exists already."),
            fields={"external_ref": [_("Taken.")]},
        ) from exc
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            product_id=line.product_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
        for line in line_list
    )
    audit_record(
        actor=actor,
        action="order.create",
        instance=order,
        after={"external_ref": order.external_ref, "total": total},
    )
    event_emit(
        OrderRecorded(
            order_id=order.pk,
            customer_id=customer.pk,
            placed_at=order.placed_at,
            promised_delivery_date=order.promised_delivery_date,
            currency=order.currency,
            total=order.total,
        ),
        actor=actor,
    )
    return order


@transaction.atomic
def order_update(*, actor: User | None, order: Order, **changes: Any) -> Order:
    """Change an order's status or promised delivery date."""
    allowed = {"status", "promised_delivery_date"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed."),
            fields={
                name: [_("Unknown or read-only field.")] for name in sorted(unknown)
            },
        )
    if "status" in changes and changes["status"] not in OrderStatus.values:
        raise ValidationError(_("Unknown status."), fields={"status": [_("Unknown.")]})
    promised = changes.get("promised_delivery_date")
    if promised is not None and promised < order.placed_at.date():
        raise ValidationError(
            _("Cannot be before the order date."),
            fields={"promised_delivery_date": [_("Cannot be before the order date.")]},
        )
    before = snapshot(order, ORDER_AUDITED_FIELDS)
    previous_status = order.status
    for name, value in changes.items():
        setattr(order, name, value)
    order.save()
    audit_record(
        actor=actor,
        action="order.update",
        instance=order,
        before=before,
        after=snapshot(order, ORDER_AUDITED_FIELDS),
    )
    if order.status != previous_status:
        event_emit(
            OrderStatusChanged(
                order_id=order.pk,
                customer_id=order.customer_id,
                previous_status=previous_status,
                status=order.status,
                changed_at=order.updated_at,
            ),
            actor=actor,
        )
    return order


@transaction.atomic
def shipment_create(
    *,
    actor: User | None,
    order: Order,
    carrier: str,
    tracking_number: str,
    shipped_at: dt.datetime | None = None,
) -> Shipment:
    """Attach a shipment to an order. Raises DuplicateShipmentError."""
    errors = {
        name: [_("Required.")]
        for name, value in {
            "carrier": carrier,
            "tracking_number": tracking_number,
        }.items()
        if not value.strip()
    }
    if errors:
        raise ValidationError(_("The shipment is incomplete."), fields=errors)
    try:
        with transaction.atomic():
            shipment = Shipment.objects.create(
                order=order,
                carrier=carrier.strip(),
                tracking_number=tracking_number.strip(),
                shipped_at=shipped_at,
                status=ShipmentStatus.IN_TRANSIT
                if shipped_at
                else ShipmentStatus.PENDING,
            )
    except IntegrityError as exc:
        raise DuplicateShipmentError(
            _("This tracking number is already recorded for this carrier."),
            fields={"tracking_number": [_("Taken.")]},
        ) from exc
    if shipped_at and order.status in {OrderStatus.PLACED, OrderStatus.PAID}:
        order.status = OrderStatus.SHIPPED
        order.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="shipment.create",
        instance=shipment,
        after={
            "order": order.pk,
            "carrier": carrier,
            "tracking_number": tracking_number,
        },
    )
    # Events that arrived before the shipment was known wait in the quarantine.
    from amiable.commerce.services.tracking import tracking_quarantine_release

    tracking_quarantine_release(actor=actor, shipment=shipment)
    return shipment


@transaction.atomic
def tracking_event_record(
    *,
    actor: User | None,
    shipment: Shipment,
    external_id: str,
    status: str,
    occurred_at: dt.datetime,
    location: str = "",
    description: str = "",
    raw: dict[str, Any] | None = None,
) -> RecordedTrackingEvent:
    """Record a carrier event once per (shipment, carrier event id).

    The shipment's status follows its latest event; a delivered event delivers the
    order. Replaying an event returns the stored one with ``created=False``.
    """
    if status not in ShipmentStatus.values:
        raise ValidationError(_("Unknown status."), fields={"status": [_("Unknown.")]})
    if not external_id.strip():
        raise ValidationError(
            _("A carrier event id is required."),
            fields={"external_id": [_("Required.")]},
        )
    existing = TrackingEvent.objects.filter(
        shipment=shipment, external_id=external_id.strip()
    ).first()
    if existing is not None:
        return RecordedTrackingEvent(event=existing, created=False)
    try:
        with transaction.atomic():
            event = TrackingEvent.objects.create(
                shipment=shipment,
                external_id=external_id.strip(),
                status=status,
                occurred_at=occurred_at,
                location=location.strip(),
                description=description.strip(),
                raw=raw or {},
            )
    except IntegrityError:
        event = TrackingEvent.objects.get(
            shipment=shipment, external_id=external_id.strip()
        )
        return RecordedTrackingEvent(event=event, created=False)
    latest = shipment.events.order_by("-occurred_at", "-id").first()
    if latest is not None and latest.pk == event.pk:
        shipment.status = status
        if shipment.shipped_at is None and status != ShipmentStatus.PENDING:
            shipment.shipped_at = occurred_at
        if status == ShipmentStatus.DELIVERED:
            shipment.delivered_at = occurred_at
        shipment.save(
            update_fields=["status", "shipped_at", "delivered_at", "updated_at"]
        )
        order = shipment.order
        new_status = {
            ShipmentStatus.DELIVERED: OrderStatus.DELIVERED,
            ShipmentStatus.IN_TRANSIT: OrderStatus.SHIPPED,
            ShipmentStatus.OUT_FOR_DELIVERY: OrderStatus.SHIPPED,
            ShipmentStatus.RETURNED: OrderStatus.RETURNED,
        }.get(ShipmentStatus(status))
        if (
            new_status
            and order.status != new_status
            and order.status not in {OrderStatus.CANCELLED, OrderStatus.RETURNED}
        ):
            order.status = new_status
            order.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="tracking_event.record",
        instance=event,
        actor_label="" if actor else "carrier",
        after={"shipment": shipment.pk, "status": status},
    )
    event_emit(
        TrackingEventRecorded(
            tracking_event_id=event.pk,
            shipment_id=shipment.pk,
            order_id=shipment.order_id,
            status=status,
            occurred_at=occurred_at,
        ),
        actor=actor,
    )
    return RecordedTrackingEvent(event=event, created=True)
