"""The tracking timeline of an order, as its customer reads it: placed, shipped,
each carrier event, the promised date, delivered."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from amiable.commerce.models import Order, ShipmentStatus
from amiable.core.clock import now


@dataclass(frozen=True)
class Step:
    kind: str  # placed, shipped, event, promised, delivered
    at: dt.datetime
    title: str
    detail: str = ""
    status: str = ""
    is_future: bool = False


def order_timeline(order: Order, *, promised_at: dt.datetime | None) -> list[Step]:
    """The steps of ``order`` in time order; the promised date is a step too (in
    the future while the parcel travels)."""
    moment = now()
    steps = [Step("placed", order.placed_at, _("Order placed"))]
    labels: dict[str, Any] = dict(ShipmentStatus.choices)
    delivered_at: dt.datetime | None = None
    for shipment in order.shipments.all():
        if shipment.shipped_at is not None:
            steps.append(
                Step(
                    "shipped",
                    shipment.shipped_at,
                    _("Shipped with %(carrier)s") % {"carrier": shipment.carrier},
                    _("Tracking number %(number)s")
                    % {"number": shipment.tracking_number},
                )
            )
        for event in shipment.events.all():
            if event.status == ShipmentStatus.DELIVERED:
                delivered_at = event.occurred_at
                continue
            steps.append(
                Step(
                    "event",
                    event.occurred_at,
                    str(labels.get(event.status, event.status)),
                    " — ".join(
                        part for part in (event.location, event.description) if part
                    ),
                    status=event.status,
                )
            )
        if delivered_at is None and shipment.delivered_at is not None:
            delivered_at = shipment.delivered_at
    if promised_at is not None:
        steps.append(
            Step(
                "promised",
                promised_at,
                _("Promised delivery date"),
                is_future=promised_at > moment and delivered_at is None,
            )
        )
    if delivered_at is not None:
        steps.append(Step("delivered", delivered_at, _("Delivered")))
    order_of = {"placed": 0, "shipped": 1, "event": 2, "delivered": 3, "promised": 4}
    return sorted(steps, key=lambda step: (step.at, order_of[step.kind]))
