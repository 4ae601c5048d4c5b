"""How promises react to the catalogue events (``amiable.events``)."""

from __future__ import annotations

from amiable.commerce.models import ShipmentStatus
from amiable.commerce.selectors import shipment_carrier
from amiable.conversations.models import Direction
from amiable.events.catalogue import (
    GestureApplied,
    InteractionRecorded,
    LegalDeadlineChanged,
    LegalDeadlineMet,
    LegalDeadlineStarted,
    OrderRecorded,
    OrderStatusChanged,
    TrackingEventRecorded,
)
from amiable.events.registry import event_handler
from amiable.promises import services


@event_handler(OrderRecorded)
def promise_on_order_recorded(event: OrderRecorded) -> None:
    services.promise_from_order(order_id=event.order_id)


@event_handler(OrderStatusChanged)
def promise_on_order_status(event: OrderStatusChanged) -> None:
    services.promises_follow_order_status(
        order_id=event.order_id, status=event.status, changed_at=event.changed_at
    )


@event_handler(TrackingEventRecorded)
def promise_on_tracking_event(event: TrackingEventRecorded) -> None:
    carrier = shipment_carrier(shipment_id=event.shipment_id)
    if event.status == ShipmentStatus.DELIVERED:
        services.promises_note_carrier(order_id=event.order_id, carrier=carrier)
        services.promises_keep_by_delivery(
            order_id=event.order_id, delivered_at=event.occurred_at
        )
    elif event.status == ShipmentStatus.EXCEPTION:
        services.promises_flag_carrier_exception(
            order_id=event.order_id, shipment_carrier=carrier
        )
    else:
        services.promises_note_carrier(order_id=event.order_id, carrier=carrier)


@event_handler(
    InteractionRecorded,
    # Only an agent's outbound contact on a case keeps a promise.
    when=lambda event: (
        event.case_id is not None
        and event.direction == Direction.OUTBOUND
        and event.author_id is not None
    ),
)
def promise_on_interaction(event: InteractionRecorded) -> None:
    if event.case_id is None:
        return
    services.promises_keep_by_contact(
        case_id=event.case_id,
        channel=event.channel,
        direction=event.direction,
        author_id=event.author_id,
        occurred_at=event.occurred_at,
    )


@event_handler(GestureApplied)
def promise_on_gesture(event: GestureApplied) -> None:
    services.promises_keep_by_refund(
        kind=event.kind,
        case_id=event.case_id,
        order_id=event.order_id,
        customer_id=event.customer_id,
        applied_at=event.applied_at,
        gesture_id=event.gesture_id,
    )


# Deadlines that bind us; the customer's, the mediator's and limitation periods are
# shown on the dispute track, not promised.
OUR_DEADLINES = {"professional", "parties"}


@event_handler(LegalDeadlineStarted)
def promise_on_legal_deadline(event: LegalDeadlineStarted) -> None:
    if event.bearer not in OUR_DEADLINES:
        return
    services.promise_from_legal_deadline(
        rule_code=event.rule_code,
        article=event.article,
        customer_id=event.customer_id,
        case_id=event.case_id,
        order_id=event.order_id,
        triggered_at=event.triggered_at,
        due_at=event.due_at,
    )


@event_handler(LegalDeadlineMet)
def promise_on_legal_deadline_met(event: LegalDeadlineMet) -> None:
    services.promises_keep_by_legal_deadline_met(
        rule_code=event.rule_code,
        customer_id=event.customer_id,
        case_id=event.case_id,
        order_id=event.order_id,
        met_at=event.met_at,
    )


@event_handler(LegalDeadlineChanged)
def promise_on_legal_deadline_changed(event: LegalDeadlineChanged) -> None:
    services.promises_follow_legal_deadline_change(
        rule_code=event.rule_code,
        customer_id=event.customer_id,
        case_id=event.case_id,
        order_id=event.order_id,
        due_at=event.due_at,
        reason=event.reason,
    )
