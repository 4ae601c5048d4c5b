"""Price protection: a price drop lists exactly the buyers within the window who
paid more, with the exact difference; a supervisor approves the vouchers in bulk;
promotions about the product are suppressed for those buyers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from amiable.accounts.models import User
from amiable.commerce.models import OrderStatus, Product
from amiable.commerce.services import product_update
from amiable.core.errors import PermissionDeniedError
from amiable.events.models import DomainEvent
from amiable.gestures.errors import GestureAlreadyDecidedError, GestureInvalidError
from amiable.gestures.models import (
    CampaignStatus,
    Compensation,
    Gesture,
    GestureReason,
    GestureType,
    PriceDropCampaign,
)
from amiable.gestures.selectors import promotion_is_allowed
from amiable.gestures.services import (
    campaign_approve,
    campaign_reject,
    gesture_settings_update,
)
from amiable.notifications.models import Notification
from tests.factories import (
    CustomerFactory,
    OrderFactory,
    OrderLineFactory,
    ProductFactory,
)

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
D = Decimal


@pytest.fixture
def product(db: None) -> Product:
    return ProductFactory.create(name="Bouilloire", price=D("59.90"))


def bought(
    product: Product,
    *,
    days_ago: float,
    unit_price: str,
    quantity: int = 1,
    status: str = OrderStatus.DELIVERED,
    currency: str = "EUR",
) -> Any:
    customer = CustomerFactory.create()
    order = OrderFactory.create(
        customer=customer,
        placed_at=timezone.now() - dt.timedelta(days=days_ago),
        status=status,
        currency=currency,
    )
    return OrderLineFactory.create(
        order=order, product=product, unit_price=D(unit_price), quantity=quantity
    )


def drop(product: Product, price: str, on_commit: OnCommit) -> PriceDropCampaign | None:
    with on_commit(execute=True):
        product_update(actor=None, product=product, price=D(price))
    return PriceDropCampaign.objects.filter(product=product).first()


def test_a_drop_lists_exactly_the_buyers_within_the_window_who_paid_more(
    product: Product, supervisor: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    paid_more = bought(product, days_ago=3, unit_price="59.90", quantity=2)
    on_edge = bought(product, days_ago=13.99, unit_price="54.95")
    bought(product, days_ago=14.01, unit_price="59.90")  # outside the 14 days
    bought(product, days_ago=1, unit_price="49.90")  # paid the new price
    bought(product, days_ago=1, unit_price="39.90")  # paid less (a promotion)
    bought(product, days_ago=2, unit_price="59.90", status=OrderStatus.CANCELLED)
    bought(product, days_ago=2, unit_price="59.90", currency="CHF")

    campaign = drop(product, "49.90", django_capture_on_commit_callbacks)

    assert campaign is not None
    rows = list(
        Compensation.objects.filter(campaign=campaign)
        .order_by("order_line__order__placed_at")
        .values_list(
            "order_line_id", "customer_id", "quantity", "unit_price_paid", "amount"
        )
    )
    assert rows == [
        (on_edge.pk, on_edge.order.customer_id, 1, D("54.95"), D("5.05")),
        (paid_more.pk, paid_more.order.customer_id, 2, D("59.90"), D("20.00")),
    ]
    assert (campaign.previous_price, campaign.price, campaign.window_days) == (
        D("59.90"),
        D("49.90"),
        14,
    )
    assert (
        Notification.objects.filter(
            recipient=supervisor, kind="gesture.campaign_proposed"
        ).count()
        == 1
    )


def test_a_configured_window_and_a_rise_in_price(
    product: Product, django_capture_on_commit_callbacks: OnCommit
) -> None:
    gesture_settings_update(actor=None, price_protection_window_days=30)
    line = bought(product, days_ago=25, unit_price="59.90")

    rise = drop(product, "64.90", django_capture_on_commit_callbacks)
    campaign = drop(product, "29.95", django_capture_on_commit_callbacks)

    assert rise is None
    assert campaign is not None
    assert list(campaign.compensations.values_list("order_line_id", "amount")) == [
        (line.pk, D("29.95"))
    ]


def test_nobody_to_compensate_makes_no_campaign(
    product: Product, django_capture_on_commit_callbacks: OnCommit
) -> None:
    assert drop(product, "10.00", django_capture_on_commit_callbacks) is None


def test_promotions_are_suppressed_for_the_buyers_only_and_for_a_while(
    product: Product, django_capture_on_commit_callbacks: OnCommit
) -> None:
    line = bought(product, days_ago=2, unit_price="59.90")
    stranger = CustomerFactory.create()

    campaign = drop(product, "49.90", django_capture_on_commit_callbacks)

    assert campaign is not None
    buyer = line.order.customer
    changed = campaign.changed_at
    assert promotion_is_allowed(customer=buyer, product=product, at=changed) is False
    assert (
        promotion_is_allowed(
            customer=buyer, product=product, at=changed + dt.timedelta(days=29)
        )
        is False
    )
    assert (
        promotion_is_allowed(
            customer=buyer, product=product, at=changed + dt.timedelta(days=30)
        )
        is True
    )
    assert (
        promotion_is_allowed(
            customer=buyer, product=product, at=changed - dt.timedelta(seconds=1)
        )
        is True
    )
    assert promotion_is_allowed(customer=stranger, product=product, at=changed) is True
    assert (
        promotion_is_allowed(
            customer=buyer, product=ProductFactory.create(), at=changed
        )
        is True
    )


def test_the_campaign_is_made_once_per_price_change(
    product: Product, django_capture_on_commit_callbacks: OnCommit
) -> None:
    from amiable.events.services import event_load
    from amiable.gestures.handlers import price_protection_on_price_change

    bought(product, days_ago=2, unit_price="59.90")
    drop(product, "49.90", django_capture_on_commit_callbacks)
    event = event_load(DomainEvent.objects.get(name="product.price_changed"))

    price_protection_on_price_change(event)  # type: ignore[arg-type]

    assert PriceDropCampaign.objects.count() == 1
    assert Compensation.objects.count() == 1


@pytest.fixture
def voucher_settings(voucher: GestureType, reason: GestureReason) -> None:
    gesture_settings_update(
        actor=None, price_protection_type=voucher, price_protection_reason=reason
    )


def test_a_supervisor_approves_the_vouchers_in_bulk(
    product: Product,
    supervisor: User,
    voucher_settings: None,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    first = bought(product, days_ago=2, unit_price="59.90", quantity=3)
    second = bought(product, days_ago=4, unit_price="55.00")
    campaign = drop(product, "49.90", django_capture_on_commit_callbacks)
    assert campaign is not None
    keep = Compensation.objects.get(order_line=first)

    with django_capture_on_commit_callbacks(execute=True):
        gestures = campaign_approve(
            actor=supervisor, campaign=campaign, compensation_ids=[keep.pk]
        )

    campaign.refresh_from_db()
    assert [
        (g.customer_id, g.value, g.status, g.gesture_type.code) for g in gestures
    ] == [(first.order.customer_id, D("30.00"), "applied", "voucher")]
    assert Compensation.objects.get(order_line=second).gesture is None
    assert campaign.status == CampaignStatus.APPROVED
    assert DomainEvent.objects.filter(name="gesture.applied").count() == 1
    with pytest.raises(GestureAlreadyDecidedError):
        campaign_approve(actor=supervisor, campaign=campaign)


def test_an_agent_cannot_approve_a_campaign_and_a_rejection_needs_a_reason(
    product: Product,
    agent: User,
    supervisor: User,
    voucher_settings: None,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    bought(product, days_ago=2, unit_price="59.90")
    campaign = drop(product, "49.90", django_capture_on_commit_callbacks)
    assert campaign is not None

    with pytest.raises(PermissionDeniedError):
        campaign_approve(actor=agent, campaign=campaign)
    rejected = campaign_reject(
        actor=supervisor, campaign=campaign, reason="Promotion éclair d’une heure"
    )

    assert rejected.status == CampaignStatus.REJECTED
    assert Gesture.objects.count() == 0


def test_approving_without_a_voucher_type_configured_is_a_clear_error(
    product: Product, supervisor: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    bought(product, days_ago=2, unit_price="59.90")
    campaign = drop(product, "49.90", django_capture_on_commit_callbacks)
    assert campaign is not None

    with pytest.raises(GestureInvalidError) as raised:
        campaign_approve(actor=supervisor, campaign=campaign)

    assert list(raised.value.fields) == ["price_protection_type"]
