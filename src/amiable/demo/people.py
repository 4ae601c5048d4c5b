"""Demo customers (with identities, addresses, consents, facts) and their orders."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import phonenumbers
from faker import Faker

from amiable.commerce.models import (
    Order,
    OrderLine,
    OrderStatus,
    Product,
    Shipment,
    ShipmentStatus,
    TrackingEvent,
)
from amiable.customers.models import (
    Address,
    Consent,
    ConsentPurpose,
    Customer,
    CustomerKind,
    FactCategory,
    Identity,
    IdentityKind,
    PersonalFact,
)
from amiable.demo.texts import CARRIERS, CONSENT_SOURCES, FACTS

BATCH = 500
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
DAY = dt.timedelta(days=1)


@dataclass
class Block:
    """One slice of demo data, written in one transaction."""

    seed: int
    index: int
    customers: int
    orders: int
    cases: int
    interactions: int
    now: dt.datetime
    rng: random.Random
    fakers: dict[str, Faker]
    created_customers: list[Customer] = field(default_factory=list)
    orders_by_customer: dict[int, list[Order]] = field(default_factory=dict)
    shipments_by_order: dict[int, Shipment] = field(default_factory=dict)

    def order_ref(self, number: int) -> str:
        return order_ref(self.seed, self.index, number)

    def moment_within(self, days: float) -> dt.datetime:
        """A random moment within the last ``days`` days."""
        return self.now - dt.timedelta(seconds=self.rng.uniform(600, days * 86400))


def order_ref(seed: int, block: int, number: int) -> str:
    return f"DEMO-{seed}-{block:04d}-{number:04d}"


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum()) or "client"


def _phone(rng: random.Random, language: str) -> str:
    for _attempt in range(20):
        if language == "fr":
            raw = f"+33{rng.choice('67')}{rng.randrange(10**8):08d}"
        else:
            raw = f"+447{rng.choice('4579')}{rng.randrange(10**8):08d}"
        parsed = phonenumbers.parse(raw, None)
        if phonenumbers.is_valid_number(parsed):
            return phonenumbers.format_number(
                parsed, phonenumbers.PhoneNumberFormat.E164
            )
    return "+33612345678"


def customers_build(block: Block) -> None:
    """Create the block's customers and everything that hangs off them."""
    rng = block.rng
    rows: list[Customer] = []
    people: list[tuple[str, str, str]] = []
    for _number in range(block.customers):
        language = "fr" if rng.random() < 0.8 else "en"
        fake = block.fakers[language]
        first, last = fake.first_name(), fake.last_name()
        is_company = rng.random() < 0.15
        company = fake.company() if is_company else ""
        rows.append(
            Customer(
                kind=CustomerKind.COMPANY if is_company else CustomerKind.PERSON,
                name=company or f"{first} {last}",
                company_name=company,
                preferred_language=language,
                customer_since=(block.now - DAY * rng.randint(30, 6 * 365)).date(),
            )
        )
        people.append((first, last, language))
    block.created_customers = Customer.objects.bulk_create(rows, batch_size=BATCH)
    identities: list[Identity] = []
    addresses: list[Address] = []
    consents: list[Consent] = []
    facts: list[PersonalFact] = []
    for position, (customer, (first, last, language)) in enumerate(
        zip(block.created_customers, people, strict=True)
    ):
        fake = block.fakers[language]
        number = block.index * 10_000 + position
        email = f"{_ascii(first)}.{_ascii(last)}.{block.seed}x{number}@" + rng.choice(
            EMAIL_DOMAINS
        )
        identities.append(
            Identity(
                customer=customer,
                kind=IdentityKind.EMAIL,
                value=email,
                normalized=email,
                is_primary=True,
                is_verified=rng.random() < 0.7,
            )
        )
        if rng.random() < 0.75:
            phone = _phone(rng, language)
            identities.append(
                Identity(
                    customer=customer,
                    kind=IdentityKind.PHONE,
                    value=phone,
                    normalized=phone,
                    is_primary=True,
                )
            )
        if rng.random() < 0.1:
            handle = f"{_ascii(first)}_{number}"
            identities.append(
                Identity(
                    customer=customer,
                    kind=IdentityKind.SOCIAL,
                    value=f"@{handle}",
                    normalized=f"instagram:{handle}",
                    platform="instagram",
                )
            )
        addresses.append(
            Address(
                customer=customer,
                label="Domicile" if language == "fr" else "Home",
                line1=fake.street_address()[:200],
                postal_code=fake.postcode(),
                city=fake.city()[:120],
                country="FR" if language == "fr" else "GB",
                is_default=True,
            )
        )
        since = dt.datetime.combine(
            customer.customer_since or block.now.date(), dt.time(12), block.now.tzinfo
        )
        for purpose in rng.sample(ConsentPurpose.values, rng.randint(1, 4)):
            granted = rng.random() < 0.6
            consents.append(
                Consent(
                    customer=customer,
                    purpose=purpose,
                    is_granted=granted,
                    recorded_at=since,
                    source=rng.choice(CONSENT_SOURCES),
                )
            )
            if rng.random() < 0.25:  # a later change of mind, kept as history
                consents.append(
                    Consent(
                        customer=customer,
                        purpose=purpose,
                        is_granted=not granted,
                        recorded_at=block.moment_within(300),
                        source=rng.choice(CONSENT_SOURCES),
                    )
                )
        if rng.random() < 0.5:
            birthday = fake.date_of_birth(minimum_age=18, maximum_age=85)
            facts.append(
                PersonalFact(
                    customer=customer,
                    category=FactCategory.BIRTHDAY,
                    value=birthday.isoformat(),
                    purpose="Message d'anniversaire",
                    source="formulaire d'inscription",
                    noted_on=customer.customer_since or block.now.date(),
                )
            )
        for category in rng.sample(sorted(FACTS), rng.randint(0, 2)):
            facts.append(
                PersonalFact(
                    customer=customer,
                    category=category,
                    value=rng.choice(FACTS[category]),
                    purpose="Personnaliser le conseil",
                    source="conversation avec un agent",
                    noted_on=block.moment_within(500).date(),
                )
            )
    Identity.objects.bulk_create(identities, batch_size=BATCH, ignore_conflicts=True)
    Address.objects.bulk_create(addresses, batch_size=BATCH)
    Consent.objects.bulk_create(consents, batch_size=BATCH)
    PersonalFact.objects.bulk_create(facts, batch_size=BATCH)


def _order_status(rng: random.Random, age_days: float) -> str:
    if age_days < 2:
        return rng.choice([OrderStatus.PLACED, OrderStatus.PAID])
    if age_days < 8:
        return rng.choice([OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.SHIPPED])
    roll = rng.random()
    if roll < 0.05:
        return OrderStatus.CANCELLED
    if roll < 0.14:
        return OrderStatus.RETURNED
    return OrderStatus.DELIVERED


def orders_build(block: Block, products: list[Product]) -> None:
    """Create the block's orders with lines, shipments and tracking events."""
    rng = block.rng
    orders: list[Order] = []
    lines_by_ref: dict[str, list[OrderLine]] = {}
    for number in range(1, block.orders + 1):
        # The first customer always gets order 1: the block's idempotency marker.
        customer = (
            block.created_customers[0]
            if number == 1
            else rng.choice(block.created_customers)
        )
        placed_at = block.moment_within(548)
        lines = [
            OrderLine(
                product=product,
                quantity=rng.choice((1, 1, 1, 2, 3)),
                unit_price=(
                    product.price * Decimal(rng.choice((1, 1, 1, 0.9, 0.8)))
                ).quantize(Decimal("0.01")),
            )
            for product in rng.sample(products, rng.randint(1, min(3, len(products))))
        ]
        total = sum((line.unit_price * line.quantity for line in lines), Decimal(0))
        order = Order(
            external_ref=block.order_ref(number),
            customer=customer,
            placed_at=placed_at,
            status=_order_status(rng, (block.now - placed_at).total_seconds() / 86400),
            currency="EUR",
            total=total,
            promised_delivery_date=(placed_at + DAY * rng.randint(2, 6)).date(),
        )
        orders.append(order)
        lines_by_ref[order.external_ref] = lines
    created = Order.objects.bulk_create(orders, batch_size=BATCH)
    all_lines: list[OrderLine] = []
    shipments: list[Shipment] = []
    for order in created:
        block.orders_by_customer.setdefault(order.customer_id, []).append(order)
        for line in lines_by_ref[order.external_ref]:
            line.order = order
            all_lines.append(line)
        if order.status in {
            OrderStatus.SHIPPED,
            OrderStatus.DELIVERED,
            OrderStatus.RETURNED,
        }:
            shipped_at = order.placed_at + DAY * rng.uniform(0.5, 2)
            delivered = order.status != OrderStatus.SHIPPED
            shipments.append(
                Shipment(
                    order=order,
                    carrier=rng.choice(CARRIERS),
                    tracking_number=f"DM{order.external_ref.replace('-', '')}",
                    status=ShipmentStatus.DELIVERED
                    if delivered
                    else ShipmentStatus.IN_TRANSIT,
                    shipped_at=shipped_at,
                    delivered_at=shipped_at + DAY * rng.uniform(1, 5)
                    if delivered
                    else None,
                )
            )
    OrderLine.objects.bulk_create(all_lines, batch_size=BATCH)
    created_shipments = Shipment.objects.bulk_create(shipments, batch_size=BATCH)
    events: list[TrackingEvent] = []
    for shipment in created_shipments:
        block.shipments_by_order[shipment.order_id] = shipment
        events.extend(_tracking_events(block, shipment))
    TrackingEvent.objects.bulk_create(events, batch_size=BATCH)


def _tracking_events(block: Block, shipment: Shipment) -> list[TrackingEvent]:
    assert shipment.shipped_at is not None  # noqa: S101 (built just above)
    steps: list[tuple[str, dt.datetime, str, str]] = [
        (
            ShipmentStatus.PENDING,
            shipment.shipped_at,
            "Entrepôt Lyon",
            "Colis pris en charge",
        ),
        (
            ShipmentStatus.IN_TRANSIT,
            shipment.shipped_at + DAY * 0.6,
            "Plateforme Paris-Nord",
            "En transit",
        ),
    ]
    if shipment.delivered_at is not None:
        if block.rng.random() < 0.12:
            steps.append(
                (
                    ShipmentStatus.EXCEPTION,
                    shipment.delivered_at - DAY * 0.7,
                    "Agence locale",
                    "Destinataire absent, nouvelle présentation",
                )
            )
        steps.append(
            (
                ShipmentStatus.OUT_FOR_DELIVERY,
                shipment.delivered_at - DAY * 0.3,
                "Agence locale",
                "En cours de livraison",
            )
        )
        steps.append(
            (ShipmentStatus.DELIVERED, shipment.delivered_at, "Domicile", "Livré")
        )
    return [
        TrackingEvent(
            shipment=shipment,
            external_id=f"{shipment.tracking_number}-{step}",
            status=status,
            occurred_at=moment,
            location=location,
            description=description,
            raw={"carrier": shipment.carrier, "code": status, "seq": step},
        )
        for step, (status, moment, location, description) in enumerate(steps)
    ]
