"""What the catalogue events mean for promises (called by ``handlers.py``): an
order makes a delivery promise, a legal deadline makes a legal one, a delivery, a
refund or a call keeps one, a carrier exception puts one at risk."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.cases.models import Case
from amiable.commerce.models import Order
from amiable.conversations.models import Channel, Direction
from amiable.customers.models import Customer
from amiable.promises.dates import delivery_due
from amiable.promises.legal import legal_description
from amiable.promises.models import (
    LIVE_STATES,
    Promise,
    PromiseKind,
    PromiseState,
    RiskReason,
)
from amiable.promises.services.ledger import promise_record_automatic
from amiable.promises.services.lifecycle import (
    promise_cancel,
    promise_fulfil,
    promise_mark_at_risk,
    promise_reschedule_by_rule,
)
from amiable.promises.services.warnings import policy_for, promise_warn

REFUND_GESTURES = frozenset({"refund", "partial_refund"})
# Channels on which an agent's outbound contact answers the customer.
ANSWERING_CHANNELS = frozenset(
    {
        Channel.PHONE,
        Channel.EMAIL,
        Channel.SMS,
        Channel.CHAT,
        Channel.SOCIAL,
        Channel.LETTER,
        Channel.PORTAL,
    }
)
SKIPPED_ORDER_STATUSES = frozenset({"cancelled", "returned", "delivered"})


def kind_of_rule(rule_code: str) -> str:
    """The promise type of a legal rule code (domain rules §6.1)."""
    code = rule_code.upper()
    if "REFUND" in code:
        return PromiseKind.REFUND
    if code.startswith("FR.DELIVERY."):
        return PromiseKind.DELIVERY
    if "REMEDY" in code:
        return PromiseKind.REPAIR
    return PromiseKind.INFORMATION


@transaction.atomic
def promise_from_order(*, order_id: int) -> Promise | None:
    """The delivery promise of an order: its promised date, else the legal 30 days."""
    order = Order.objects.select_related("customer").filter(pk=order_id).first()
    if order is None or order.status in SKIPPED_ORDER_STATUSES:
        return None
    due_at, rule_code = delivery_due(
        placed_at=order.placed_at, promised_date=order.promised_delivery_date
    )
    with translation.override(order.customer.preferred_language or "fr"):
        description = _("Deliver order %(ref)s") % {"ref": order.external_ref}
    promise, _created = promise_record_automatic(
        source_key=f"order:{order.pk}:delivery",
        customer=order.customer,
        kind=PromiseKind.DELIVERY,
        description=description,
        made_at=order.placed_at,
        due_at=due_at,
        order=order,
        rule_code=rule_code,
        article="C. conso L216-1",
    )
    return promise


@transaction.atomic
def promise_from_legal_deadline(
    *,
    rule_code: str,
    article: str,
    customer_id: int,
    case_id: int | None,
    order_id: int | None,
    triggered_at: dt.datetime,
    due_at: dt.datetime,
) -> Promise | None:
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        return None
    case = (
        Case.objects.filter(pk=case_id, customer=customer).first() if case_id else None
    )
    order = (
        Order.objects.filter(pk=order_id, customer=customer).first()
        if order_id
        else None
    )
    with translation.override(customer.preferred_language or "fr"):
        description = legal_description(rule_code)
    if article:
        description = f"{description} ({article})"
    promise, _created = promise_record_automatic(
        source_key=(
            f"legal:{rule_code}:{customer.pk}:{case_id or ''}:{order_id or ''}:"
            f"{triggered_at.isoformat()}"
        )[:200],
        customer=customer,
        kind=kind_of_rule(rule_code),
        description=description,
        made_at=triggered_at,
        due_at=due_at,
        case=case,
        order=order,
        rule_code=rule_code,
        article=article,
    )
    return promise


def promises_keep_by_delivery(*, order_id: int, delivered_at: dt.datetime) -> int:
    """A delivered tracking event fulfils the order's delivery promises."""
    count = 0
    for promise in Promise.objects.filter(
        order_id=order_id, kind=PromiseKind.DELIVERY, fulfilled_at__isnull=True
    ).exclude(state=PromiseState.CANCELLED):
        promise_fulfil(
            actor=None,
            promise=promise,
            fulfilled_at=delivered_at,
            evidence=_("Delivered (carrier event)"),
        )
        count += 1
    return count


def promises_flag_carrier_exception(*, order_id: int, shipment_carrier: str) -> int:
    """A carrier exception puts the order's delivery promises at risk, and the
    customer is warned at once when a policy says so."""
    count = 0
    for promise in Promise.objects.filter(
        order_id=order_id, kind=PromiseKind.DELIVERY, state__in=LIVE_STATES
    ):
        if shipment_carrier and not promise.carrier:
            Promise.objects.filter(pk=promise.pk).update(carrier=shipment_carrier)
        promise = promise_mark_at_risk(
            actor=None, promise=promise, reason=RiskReason.CARRIER_EXCEPTION
        )
        policy = policy_for(promise.kind)
        if policy is not None:
            promise_warn(promise=promise, policy=policy)
        count += 1
    return count


def promises_note_carrier(*, order_id: int, carrier: str) -> None:
    """Remember the carrier of a delivery promise (for realistic suggestions)."""
    Promise.objects.filter(
        order_id=order_id, kind=PromiseKind.DELIVERY, carrier=""
    ).update(carrier=carrier)


def promises_keep_by_contact(
    *,
    case_id: int,
    channel: str,
    direction: str,
    author_id: int | None,
    occurred_at: dt.datetime,
) -> int:
    """An agent's outbound call or reply on a case keeps its callback (and
    information) promises made before it."""
    if (
        direction != Direction.OUTBOUND
        or author_id is None
        or channel not in ANSWERING_CHANNELS
    ):
        return 0
    kinds = [PromiseKind.CALLBACK]
    if channel != Channel.PHONE:
        kinds.append(PromiseKind.INFORMATION)
    count = 0
    for promise in Promise.objects.filter(
        case_id=case_id,
        kind__in=kinds,
        state__in=LIVE_STATES,
        made_at__lte=occurred_at,
    ):
        label = (
            _("Customer called back")
            if channel == Channel.PHONE
            else _("Customer answered")
        )
        promise_fulfil(
            actor=None, promise=promise, fulfilled_at=occurred_at, evidence=label
        )
        count += 1
    return count


def promises_keep_by_refund(
    *,
    kind: str,
    case_id: int | None,
    order_id: int | None,
    customer_id: int,
    applied_at: dt.datetime,
    gesture_id: int,
) -> Promise | None:
    """A refund gesture keeps the matching open refund promise: the one of its
    case, else of its order, the soonest due first."""
    if kind not in REFUND_GESTURES or (case_id is None and order_id is None):
        return None
    open_refunds = Promise.objects.filter(
        customer_id=customer_id,
        kind=PromiseKind.REFUND,
        state__in=LIVE_STATES,
        fulfilled_at__isnull=True,
    ).order_by("due_at", "id")
    promise = None
    if case_id is not None:
        promise = open_refunds.filter(case_id=case_id).first()
    if promise is None and order_id is not None:
        promise = open_refunds.filter(order_id=order_id).first()
    if promise is None:
        return None
    return promise_fulfil(
        actor=None,
        promise=promise,
        fulfilled_at=applied_at,
        evidence=_("Refund applied (gesture #%(id)d)") % {"id": gesture_id},
    )


def promises_follow_order_status(
    *, order_id: int, status: str, changed_at: dt.datetime
) -> int:
    """A cancelled order cancels its live delivery promises; an order marked
    delivered by the shop (no carrier event) fulfils them at that time."""
    if status not in {"cancelled", "delivered"}:
        return 0
    count = 0
    for promise in Promise.objects.filter(
        order_id=order_id, kind=PromiseKind.DELIVERY, state__in=LIVE_STATES
    ):
        if status == "cancelled":
            promise_cancel(actor=None, promise=promise, reason=_("Order cancelled"))
        else:
            promise_fulfil(
                actor=None,
                promise=promise,
                fulfilled_at=changed_at,
                evidence=_("Marked delivered by the shop"),
            )
        count += 1
    return count


def _legal_promises(
    *, rule_code: str, customer_id: int, case_id: int | None, order_id: int | None
) -> list[Promise]:
    # ``case=None`` / ``order=None`` match the promises without one.
    return list(
        Promise.objects.filter(
            rule_code=rule_code,
            customer_id=customer_id,
            case=case_id,
            order=order_id,
            state__in=LIVE_STATES,
        )
    )


def promises_keep_by_legal_deadline_met(
    *,
    rule_code: str,
    customer_id: int,
    case_id: int | None,
    order_id: int | None,
    met_at: dt.datetime,
) -> int:
    """What a legal promise asked for happened (the mediator's details were sent):
    it is kept, or broken late when ``met_at`` is past its due time."""
    promises = _legal_promises(
        rule_code=rule_code, customer_id=customer_id, case_id=case_id, order_id=order_id
    )
    for promise in promises:
        promise_fulfil(
            actor=None,
            promise=promise,
            fulfilled_at=met_at,
            evidence=_("Done, as the dispute track records"),
        )
    return len(promises)


@transaction.atomic
def promises_follow_legal_deadline_change(
    *,
    rule_code: str,
    customer_id: int,
    case_id: int | None,
    order_id: int | None,
    due_at: dt.datetime | None,
    reason: str,
) -> int:
    """A legal time limit moved (extended, its trigger corrected) or no longer
    applies (``due_at`` None): the legal promise follows the law, without a
    renegotiation (nobody agreed a new date with the customer)."""
    promises = _legal_promises(
        rule_code=rule_code, customer_id=customer_id, case_id=case_id, order_id=order_id
    )
    for promise in promises:
        if due_at is None:
            promise_cancel(
                actor=None,
                promise=promise,
                reason=_("The legal time limit no longer applies (%(reason)s).")
                % {"reason": reason},
            )
        elif due_at != promise.due_at:
            promise_reschedule_by_rule(promise=promise, due_at=due_at, reason=reason)
    return len(promises)
