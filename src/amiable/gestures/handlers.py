"""Reactions of the gestures app to other apps' events."""

from __future__ import annotations

from amiable.events.catalogue import ProductPriceChanged
from amiable.events.registry import event_handler
from amiable.gestures.services import price_drop_campaign_propose


@event_handler(ProductPriceChanged)
def price_protection_on_price_change(event: ProductPriceChanged) -> None:
    """A price drop proposes compensations to the customers who paid more."""
    price_drop_campaign_propose(
        product_id=event.product_id,
        previous_price=event.previous_price,
        price=event.price,
        currency=event.currency,
        changed_at=event.changed_at,
    )
