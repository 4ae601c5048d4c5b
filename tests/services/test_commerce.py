"""Commerce services: catalogue rights, order totals, duplicates, tracking events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
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
from amiable.commerce.services import (
    OrderLineIn,
    order_create,
    order_update,
    product_create,
    product_update,
    shipment_create,
    tracking_event_record,
)
from amiable.core.errors import ErrorCode, PermissionDeniedError, ValidationError
from amiable.customers.models import Customer
from tests.factories import OrderFactory, ProductFactory, ShipmentFactory

PLACED = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
@pytest.mark.parametrize("role_fixture", ["agent", "supervisor", "quality_manager"])
def test_only_administrators_write_products(
    request: pytest.FixtureRequest, role_fixture: str
) -> None:
    actor: User = request.getfixturevalue(role_fixture)
    product = ProductFactory.create(name="Chemise")

    with pytest.raises(PermissionDeniedError) as caught:
        product_create(actor=actor, sku="NEW-1", name="Pull", price=Decimal("10"))
    with pytest.raises(PermissionDeniedError):
        product_update(actor=actor, product=product, name="Robe")

    assert caught.value.status == 403
    assert list(Product.objects.values_list("name", flat=True)) == ["Chemise"]


@pytest.mark.django_db
def test_an_administrator_creates_and_updates_a_product(admin_user: User) -> None:
    product = product_create(
        actor=admin_user,
        sku=" SKU-1 ",
        name=" Pull ",
        price=Decimal("59.90"),
        currency="eur",
    )
    product_update(actor=admin_user, product=product, price=Decimal("49.90"))

    stored = Product.objects.get()
    assert (stored.sku, stored.name, stored.price, stored.currency) == (
        "SKU-1",
        "Pull",
        Decimal("49.90"),
        "EUR",
    )
    update = AuditEvent.objects.get(action="product.update")
    assert (update.before, update.after) == ({"price": "59.90"}, {"price": "49.90"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"sku": "DUP", "price": Decimal("1")}, DuplicateSkuError, "sku"),
        ({"sku": "NEW", "price": Decimal("-0.01")}, ValidationError, "price"),
        (
            {"sku": "NEW", "price": Decimal("1"), "currency": "EURO"},
            ValidationError,
            "currency",
        ),
    ],
)
def test_product_create_validations(
    admin_user: User, arguments: dict[str, object], error: type[Exception], field: str
) -> None:
    ProductFactory.create(sku="DUP")

    with pytest.raises(error) as caught:
        product_create(actor=admin_user, name="X", **arguments)  # type: ignore[arg-type]

    assert list(caught.value.fields) == [field]  # type: ignore[attr-defined]
    assert Product.objects.count() == 1


@pytest.mark.django_db
def test_order_total_is_the_exact_decimal_sum_of_its_lines(
    customer: Customer,
) -> None:
    shirt, socks = ProductFactory.create_batch(2)

    order = order_create(
        actor=None,
        customer=customer,
        external_ref=" CMD-1 ",
        placed_at=PLACED,
        lines=[
            OrderLineIn(product_id=shirt.pk, quantity=3, unit_price=Decimal("19.99")),
            OrderLineIn(product_id=socks.pk, quantity=1, unit_price=Decimal("0.10")),
            OrderLineIn(product_id=socks.pk, quantity=1, unit_price=Decimal("0.20")),
        ],
    )

    stored = Order.objects.get(pk=order.pk)
    assert order.total == Decimal("60.27")
    assert str(stored.total) == "60.27"
    assert stored.external_ref == "CMD-1"
    assert list(OrderLine.objects.values_list("quantity", "unit_price")) == [
        (3, Decimal("19.99")),
        (1, Decimal("0.10")),
        (1, Decimal("0.20")),
    ]


@pytest.mark.django_db
def test_a_duplicate_external_reference_writes_nothing(customer: Customer) -> None:
    product = ProductFactory.create()
    OrderFactory.create(external_ref="CMD-1", customer=customer)
    audits = AuditEvent.objects.count()

    with pytest.raises(DuplicateOrderReferenceError) as caught:
        order_create(
            actor=None,
            customer=customer,
            external_ref="CMD-1",
            placed_at=PLACED,
            lines=[
                OrderLineIn(product_id=product.pk, quantity=1, unit_price=Decimal(1))
            ],
        )

    assert caught.value.code == ErrorCode.DUPLICATE
    assert caught.value.status == 409
    assert list(caught.value.fields) == ["external_ref"]
    assert Order.objects.count() == 1
    assert not OrderLine.objects.exists()
    assert AuditEvent.objects.count() == audits


@pytest.mark.django_db
def test_invalid_lines_are_reported_by_position(customer: Customer) -> None:
    product = ProductFactory.create()

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        order_create(
            actor=None,
            customer=customer,
            external_ref="CMD-2",
            placed_at=PLACED,
            promised_delivery_date=dt.date(2025, 2, 28),
            lines=[
                OrderLineIn(product_id=product.pk, quantity=1, unit_price=Decimal(1)),
                OrderLineIn(product_id=0, quantity=0, unit_price=Decimal(1)),
                OrderLineIn(product_id=product.pk, quantity=2, unit_price=Decimal(-1)),
            ],
        )

    assert caught.value.fields == {
        "lines.1.product_id": ["No such product."],
        "lines.1.quantity": ["Must be at least 1."],
        "lines.2.unit_price": ["Cannot be negative."],
        "promised_delivery_date": ["Cannot be before the order date."],
    }
    assert not Order.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"external_ref": "  "}, "external_ref"),
        ({"currency": "12€"}, "currency"),
        ({"status": "lost"}, "status"),
    ],
)
def test_order_create_validations(
    customer: Customer, overrides: dict[str, str], field: str
) -> None:
    arguments: dict[str, Any] = {
        "external_ref": "CMD-3",
        "currency": "EUR",
        "status": "placed",
    }
    with pytest.raises(ValidationError) as caught:
        order_create(
            actor=None,
            customer=customer,
            placed_at=PLACED,
            lines=[],
            **{**arguments, **overrides},
        )
    assert list(caught.value.fields) == [field]
    assert not Order.objects.exists()


@pytest.mark.django_db
def test_order_update_audits_and_refuses_read_only_fields(agent: User) -> None:
    order = OrderFactory.create(placed_at=PLACED)

    with pytest.raises(ValidationError) as caught:
        order_update(actor=agent, order=order, total=Decimal(0))
    order_update(actor=agent, order=order, status=OrderStatus.CANCELLED)

    assert list(caught.value.fields) == ["total"]
    assert Order.objects.get().status == OrderStatus.CANCELLED
    event = AuditEvent.objects.get(action="order.update")
    assert (event.before, event.after) == (
        {"status": "placed"},
        {"status": "cancelled"},
    )


@pytest.mark.django_db
def test_shipment_create_ships_the_order_and_refuses_duplicates() -> None:
    order = OrderFactory.create(placed_at=PLACED)

    shipment = shipment_create(
        actor=None,
        order=order,
        carrier="Colissimo",
        tracking_number="6A123",
        shipped_at=PLACED,
    )
    with pytest.raises(DuplicateShipmentError):
        shipment_create(
            actor=None, order=order, carrier="Colissimo", tracking_number=" 6A123 "
        )

    assert shipment.status == ShipmentStatus.IN_TRANSIT
    assert Order.objects.get().status == OrderStatus.SHIPPED
    assert Shipment.objects.count() == 1


def _event(
    shipment: Shipment, external_id: str, status: str, hours: int
) -> tuple[TrackingEvent, bool]:
    recorded = tracking_event_record(
        actor=None,
        shipment=shipment,
        external_id=external_id,
        status=status,
        occurred_at=PLACED + dt.timedelta(hours=hours),
        location="Roissy",
        raw={"code": status.upper()},
    )
    return recorded.event, recorded.created


@pytest.mark.django_db
def test_tracking_events_are_idempotent_per_carrier_event_id() -> None:
    shipment = ShipmentFactory.create()
    first, created = _event(shipment, "evt-1", ShipmentStatus.IN_TRANSIT, 1)

    again, created_again = _event(shipment, " evt-1 ", ShipmentStatus.DELIVERED, 5)

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert list(TrackingEvent.objects.values_list("status", flat=True)) == [
        "in_transit"
    ]
    assert Shipment.objects.get().status == ShipmentStatus.IN_TRANSIT
    assert AuditEvent.objects.filter(action="tracking_event.record").count() == 1


@pytest.mark.django_db
def test_the_same_carrier_event_id_on_two_shipments_is_two_events() -> None:
    first, second = ShipmentFactory.create_batch(2)

    _event(first, "evt-1", ShipmentStatus.IN_TRANSIT, 1)
    _event(second, "evt-1", ShipmentStatus.IN_TRANSIT, 1)

    assert TrackingEvent.objects.count() == 2


@pytest.mark.django_db
def test_a_delivered_event_delivers_the_shipment_and_the_order() -> None:
    shipment = ShipmentFactory.create(order=OrderFactory.create(placed_at=PLACED))

    _event(shipment, "evt-1", ShipmentStatus.IN_TRANSIT, 1)
    _event(shipment, "evt-2", ShipmentStatus.DELIVERED, 30)

    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert shipment.shipped_at == PLACED + dt.timedelta(hours=1)
    assert shipment.delivered_at == PLACED + dt.timedelta(hours=30)
    assert Order.objects.get().status == OrderStatus.DELIVERED
    assert AuditEvent.objects.filter(actor_label="carrier").count() == 2


@pytest.mark.django_db
def test_an_older_event_arriving_late_does_not_overwrite_the_status() -> None:
    shipment = ShipmentFactory.create(order=OrderFactory.create(placed_at=PLACED))
    _event(shipment, "evt-2", ShipmentStatus.DELIVERED, 30)

    late, created = _event(shipment, "evt-1", ShipmentStatus.IN_TRANSIT, 1)

    assert created is True
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.DELIVERED
    assert shipment.delivered_at == PLACED + dt.timedelta(hours=30)
    assert Order.objects.get().status == OrderStatus.DELIVERED
    assert list(shipment.events.values_list("external_id", flat=True)) == [
        "evt-1",
        "evt-2",
    ]


@pytest.mark.django_db
def test_a_cancelled_order_stays_cancelled_when_the_parcel_moves() -> None:
    order = OrderFactory.create(placed_at=PLACED, status=OrderStatus.CANCELLED)
    shipment = ShipmentFactory.create(order=order)

    _event(shipment, "evt-1", ShipmentStatus.DELIVERED, 2)

    assert Order.objects.get().status == OrderStatus.CANCELLED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("external_id", "status", "field"),
    [("evt-1", "teleported", "status"), ("  ", "in_transit", "external_id")],
)
def test_tracking_event_validations(external_id: str, status: str, field: str) -> None:
    shipment = ShipmentFactory.create()

    with pytest.raises(ValidationError) as caught:
        _event(shipment, external_id, status, 1)

    assert list(caught.value.fields) == [field]
    assert not TrackingEvent.objects.exists()
