"""factory_boy factories for tests. Rows are made directly, as test fixtures may.

Factories of the foundation apps live here; each later app keeps its own in
``tests/factories/<app>.py``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from amiable.accounts.models import Role, Team, User
from amiable.cases.models import Case, CaseKind, CasePriority, CaseStatus
from amiable.commerce.models import Order, OrderLine, Product, Shipment, TrackingEvent
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.customers.models import Customer, Identity, IdentityKind

TEST_PASSWORD = "correct-horse-battery"  # noqa: S105


class TeamFactory(DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Équipe {n}")


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"agent{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@amiable.test")
    role = Role.AGENT
    team = factory.SubFactory(TeamFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation  # type: ignore[untyped-decorator]
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


class CustomerFactory(DjangoModelFactory[Customer]):
    class Meta:
        model = Customer

    name = factory.Faker("name", locale="fr_FR")
    preferred_language = "fr"
    customer_since = factory.LazyFunction(lambda: dt.date(2021, 3, 14))


class IdentityFactory(DjangoModelFactory[Identity]):
    class Meta:
        model = Identity

    customer = factory.SubFactory(CustomerFactory)
    kind = IdentityKind.EMAIL
    value = factory.Sequence(lambda n: f"client{n}@exemple.fr")
    normalized = factory.LazyAttribute(lambda identity: identity.value.lower())
    is_primary = True


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Faker("word", locale="fr_FR")
    price = Decimal("49.90")
    currency = "EUR"


class OrderFactory(DjangoModelFactory[Order]):
    class Meta:
        model = Order

    external_ref = factory.Sequence(lambda n: f"CMD-{n:06d}")
    customer = factory.SubFactory(CustomerFactory)
    placed_at = factory.LazyFunction(timezone.now)
    total = Decimal("49.90")


class OrderLineFactory(DjangoModelFactory[OrderLine]):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    quantity = 1
    unit_price = Decimal("49.90")


class ShipmentFactory(DjangoModelFactory[Shipment]):
    class Meta:
        model = Shipment

    order = factory.SubFactory(OrderFactory)
    carrier = "Colissimo"
    tracking_number = factory.Sequence(lambda n: f"6A{n:011d}")


class TrackingEventFactory(DjangoModelFactory[TrackingEvent]):
    class Meta:
        model = TrackingEvent

    shipment = factory.SubFactory(ShipmentFactory)
    external_id = factory.Sequence(lambda n: f"evt-{n}")
    status = "in_transit"
    occurred_at = factory.LazyFunction(timezone.now)


class CaseFactory(DjangoModelFactory[Case]):
    class Meta:
        model = Case

    reference = factory.Sequence(lambda n: f"C-2026-{n + 900000:06d}")
    customer = factory.SubFactory(CustomerFactory)
    subject = factory.Faker("sentence", locale="fr_FR", nb_words=5)
    kind = CaseKind.QUESTION
    priority = CasePriority.NORMAL
    status = CaseStatus.OPEN
    opened_at = factory.LazyFunction(timezone.now)
    last_activity_at = factory.LazyAttribute(lambda case: case.opened_at)


class InteractionFactory(DjangoModelFactory[Interaction]):
    class Meta:
        model = Interaction

    customer = factory.SubFactory(CustomerFactory)
    case = None
    channel = Channel.EMAIL
    direction = Direction.INBOUND
    occurred_at = factory.LazyFunction(timezone.now)
    subject = "Question"
    body_text = factory.Faker("paragraph", locale="fr_FR")
