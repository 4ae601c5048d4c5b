"""Products, orders with their lines, shipments and carrier tracking events."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.core.models import TimeStampedModel
from amiable.core.money import amount_field, currency_field
from amiable.customers.models import Customer


class Product(TimeStampedModel):
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    price = amount_field(_("current price"))
    currency = currency_field(_("currency"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=Q(price__gte=0), name="product_price_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    PAID = "paid", _("Paid")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    RETURNED = "returned", _("Returned")


class Order(TimeStampedModel):
    external_ref = models.CharField(_("external reference"), max_length=64, unique=True)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("customer"),
    )
    placed_at = models.DateTimeField(_("placed at"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OrderStatus.choices,
        default=OrderStatus.PLACED,
    )
    currency = currency_field(_("currency"))
    total = amount_field(_("total"), default=0)
    promised_delivery_date = models.DateField(
        _("promised delivery date"), null=True, blank=True
    )

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        indexes = [
            models.Index(fields=["customer", "-placed_at"], name="order_customer_idx"),
            models.Index(fields=["-placed_at", "-id"], name="order_placed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0), name="order_total_positive"
            )
        ]

    def __str__(self) -> str:
        return self.external_ref


class OrderLine(models.Model):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = amount_field(_("unit price paid"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        indexes = [
            models.Index(fields=["product", "order"], name="orderline_product_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="line_quantity_pos"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="line_price_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x product #{self.product_id}"


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    IN_TRANSIT = "in_transit", _("In transit")
    OUT_FOR_DELIVERY = "out_for_delivery", _("Out for delivery")
    DELIVERED = "delivered", _("Delivered")
    EXCEPTION = "exception", _("Exception")
    RETURNED = "returned", _("Returned to sender")


class Shipment(TimeStampedModel):
    order = models.ForeignKey(
        Order,
        on_delete=models.CASCADE,
        related_name="shipments",
        verbose_name=_("order"),
    )
    carrier = models.CharField(_("carrier"), max_length=60)
    tracking_number = models.CharField(_("tracking number"), max_length=80)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ShipmentStatus.choices,
        default=ShipmentStatus.PENDING,
    )
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "tracking_number"], name="shipment_tracking_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number}"


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(
        Shipment,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("shipment"),
    )
    external_id = models.CharField(_("carrier event id"), max_length=120)
    status = models.CharField(
        _("status"), max_length=20, choices=ShipmentStatus.choices
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    location = models.CharField(_("location"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    raw = models.JSONField(_("raw payload"), default=dict, blank=True)

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "external_id"], name="tracking_event_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.occurred_at:%Y-%m-%d %H:%M}"


class TrackingSource(models.TextChoices):
    API = "api", _("API")
    WEBHOOK = "webhook", _("Carrier webhook")
    CSV = "csv", _("CSV import")


class QuarantinedTrackingEvent(models.Model):
    """A carrier event for a tracking number we do not know (yet): kept, never
    dropped, once per carrier event id, and replayed onto the shipment when it is
    recorded."""

    carrier = models.CharField(_("carrier"), max_length=60)
    tracking_number = models.CharField(_("tracking number"), max_length=80)
    external_id = models.CharField(_("carrier event id"), max_length=120)
    status = models.CharField(
        _("status"), max_length=20, choices=ShipmentStatus.choices
    )
    occurred_at = models.DateTimeField(_("occurred at"))
    location = models.CharField(_("location"), max_length=120, blank=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    raw = models.JSONField(_("raw payload"), default=dict, blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=TrackingSource.choices
    )
    received_at = models.DateTimeField(_("received at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_event = models.ForeignKey(
        TrackingEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded as"),
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("quarantined tracking event")
        verbose_name_plural = _("quarantined tracking events")
        constraints = [
            models.UniqueConstraint(
                fields=["carrier", "external_id"], name="quarantine_event_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["tracking_number", "resolved_at"], name="quarantine_number_idx"
            ),
            models.Index(
                fields=["-received_at", "-id"], name="quarantine_received_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.carrier} {self.tracking_number} {self.external_id}"
