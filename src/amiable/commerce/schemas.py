"""API schemas of products, orders, shipments and tracking events.

Money is a Decimal serialised as a string, never a float.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from amiable.api.schemas import Amount, Currency, Id, InSchema, ListQuery, PatchSchema
from amiable.commerce.models import OrderStatus, ShipmentStatus


class ProductIn(InSchema):
    sku: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    price: Amount
    currency: Currency = "EUR"


class ProductUpdateIn(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=200)
    price: Amount | None = None
    is_active: bool | None = None


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    price: Decimal
    currency: str
    is_active: bool


class ProductListQuery(ListQuery):
    q: str = Field("", max_length=200)
    active_only: bool = False
    sort: Literal["name", "-name", "sku", "-sku"] = "name"


class OrderLineIn(InSchema):
    product_id: Id
    quantity: int = Field(ge=1, le=1_000_000)
    unit_price: Amount


class OrderCreateIn(InSchema):
    customer_id: Id
    external_ref: str = Field(min_length=1, max_length=64)
    placed_at: dt.datetime
    lines: list[OrderLineIn] = Field(min_length=1, max_length=500)
    currency: Currency = "EUR"
    status: OrderStatus = OrderStatus.PLACED
    promised_delivery_date: dt.date | None = None


class OrderUpdateIn(PatchSchema):
    nullable_fields = frozenset({"promised_delivery_date"})
    status: OrderStatus | None = None
    promised_delivery_date: dt.date | None = None


class OrderLineOut(Schema):
    id: int
    product_id: int
    sku: str
    product_name: str
    quantity: int
    unit_price: Decimal

    @staticmethod
    def resolve_sku(obj: Any) -> str:
        return str(obj.product.sku)

    @staticmethod
    def resolve_product_name(obj: Any) -> str:
        return str(obj.product.name)


class TrackingEventIn(InSchema):
    external_id: str = Field(min_length=1, max_length=120)
    status: ShipmentStatus
    occurred_at: dt.datetime
    location: str = Field("", max_length=120)
    description: str = Field("", max_length=255)
    raw: dict[str, Any] = Field(default_factory=dict)


class TrackingEventOut(Schema):
    id: int
    external_id: str
    status: str
    occurred_at: dt.datetime
    location: str
    description: str


class ShipmentIn(InSchema):
    carrier: str = Field(min_length=1, max_length=60)
    tracking_number: str = Field(min_length=1, max_length=80)
    shipped_at: dt.datetime | None = None


class ShipmentOut(Schema):
    id: int
    order_id: int
    carrier: str
    tracking_number: str
    status: str
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None
    events: list[TrackingEventOut] = Field(default_factory=list)

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())


class OrderOut(Schema):
    id: int
    external_ref: str
    customer_id: int
    placed_at: dt.datetime
    status: str
    currency: str
    total: Decimal
    promised_delivery_date: dt.date | None
    lines: list[OrderLineOut]
    shipments: list[ShipmentOut]
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_lines(obj: Any) -> list[Any]:
        return list(obj.lines.all())

    @staticmethod
    def resolve_shipments(obj: Any) -> list[Any]:
        return list(obj.shipments.all())


class OrderListQuery(ListQuery):
    customer_id: Id | None = None
    status: OrderStatus | None = None
    sort: Literal["-placed_at", "placed_at"] = "-placed_at"


class CarrierEventIn(InSchema):
    tracking_number: str = Field(min_length=1, max_length=80)
    event_id: str = Field(min_length=1, max_length=120)
    status: ShipmentStatus
    occurred_at: AwareDatetime
    location: str = Field("", max_length=120)
    description: str = Field("", max_length=255)
    raw: dict[str, Any] = Field(default_factory=dict)


class TrackingWebhookIn(InSchema):
    """A carrier's batch of events (generic JSON), oldest or newest first."""

    carrier: str = Field(min_length=1, max_length=60)
    events: list[CarrierEventIn] = Field(min_length=1, max_length=500)


class IngestResultOut(Schema):
    event_id: str
    outcome: str
    tracking_event_id: int | None
    quarantine_id: int | None


class TrackingWebhookOut(Schema):
    recorded: int
    duplicates: int
    quarantined: int
    results: list[IngestResultOut]


class QuarantinedEventOut(Schema):
    id: int
    carrier: str
    tracking_number: str
    external_id: str
    status: str
    occurred_at: dt.datetime
    location: str
    description: str
    source: str
    received_at: dt.datetime
    resolved_at: dt.datetime | None
    resolved_event_id: int | None


class QuarantineListQuery(ListQuery):
    carrier: str = Field("", max_length=60)
    tracking_number: str = Field("", max_length=80)
    unresolved_only: bool = True
