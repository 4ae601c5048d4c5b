"""Demo promises: every order of the first block gets its delivery promise (kept,
broken or open from its own tracking), plus promises in every state on cases — a
renegotiation, a callback kept, one cancelled, a legal refund deadline —, a carrier
exception that warned its customer, an event waiting in the tracking quarantine,
and a history of fulfilled promises for the realistic due dates.

Through the services (audited, on the timelines), except the history rows, written
in bulk like the rest of the demo. Idempotent: nothing is added when the demo's
warning policy exists. Prints nothing (no link, no code)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.commerce.models import Order, OrderStatus, ShipmentStatus
from amiable.commerce.services import (
    CarrierEvent,
    tracking_event_record,
    tracking_ingest,
)
from amiable.core.clock import now
from amiable.demo.people import order_ref
from amiable.promises.models import Promise, PromiseKind, PromiseSource, PromiseState
from amiable.promises.services import (
    promise_break,
    promise_cancel,
    promise_from_legal_deadline,
    promise_from_order,
    promise_keep,
    promise_make,
    promise_renegotiate,
    promises_flag_carrier_exception,
    promises_keep_by_delivery,
    warning_policy_save,
)
from amiable.promises.services.warnings import policy_for

DELIVERY_POLICY = "Retards de livraison"
HISTORY = 60
DAY = dt.timedelta(days=1)


def _delivery_promises(seed: int, stamp: dt.datetime) -> None:
    orders = (
        Order.objects.filter(external_ref__startswith=order_ref(seed, 0, 0)[:-4])
        .exclude(status=OrderStatus.CANCELLED)
        .prefetch_related("shipments")
        .order_by("placed_at", "id")
    )
    for order in orders:
        delivered = [
            shipment.delivered_at
            for shipment in order.shipments.all()
            if shipment.delivered_at is not None
        ]
        if order.status == OrderStatus.DELIVERED:
            # promise_from_order skips delivered orders: record it as it was.
            Order.objects.filter(pk=order.pk).update(status=OrderStatus.SHIPPED)
            promise = promise_from_order(order_id=order.pk)
            Order.objects.filter(pk=order.pk).update(status=OrderStatus.DELIVERED)
        else:
            promise = promise_from_order(order_id=order.pk)
        if promise is None:
            continue
        if delivered:
            promises_keep_by_delivery(order_id=order.pk, delivered_at=min(delivered))
        elif promise.due_at < stamp:
            promise_break(promise=promise, at=stamp)


def _exception(stamp: dt.datetime) -> None:
    """A recent order whose parcel hit a problem: at risk, customer warned."""
    case = (
        Case.objects.filter(
            orders__status=OrderStatus.SHIPPED,
            orders__shipments__delivered_at__isnull=True,
            orders__shipments__isnull=False,
        )
        .order_by("id")
        .first()
    )
    if case is None:
        return
    order = case.orders.filter(status=OrderStatus.SHIPPED).order_by("id").first()
    shipment = order.shipments.first() if order is not None else None
    if order is None or shipment is None:
        return
    Promise.objects.filter(order=order, kind=PromiseKind.DELIVERY).update(
        case=case,
        due_at=stamp + 3 * DAY,
        original_due_at=stamp + 3 * DAY,
        state=PromiseState.OPEN,
    )
    tracking_event_record(
        actor=None,
        shipment=shipment,
        external_id="demo-exception-1",
        status=ShipmentStatus.EXCEPTION,
        occurred_at=stamp - dt.timedelta(hours=2),
        location="Plateforme de Wissous",
        description="Adresse incomplète : colis en attente",
    )
    promises_flag_carrier_exception(
        order_id=order.pk, shipment_carrier=shipment.carrier
    )


def _case_promises(agents: list[User], stamp: dt.datetime) -> None:
    cases = list(Case.objects.select_related("customer").order_by("id")[:12])
    if len(cases) < 6 or not agents:
        return
    lea, other = agents[0], agents[-1]
    renegotiated = promise_make(
        actor=lea,
        case=cases[1],
        kind=PromiseKind.REFUND,
        description="Remboursement du colis abîmé",
        due_at=stamp + 4 * DAY,
        is_sooner_confirmed=True,
    )
    promise_renegotiate(
        actor=lea,
        promise=renegotiated,
        due_at=stamp + 11 * DAY,
        reason="Le retour n’est pas encore arrivé à l’entrepôt.",
        is_customer_told=True,
    )
    promise_make(
        actor=other,
        case=cases[2],
        kind=PromiseKind.CALLBACK,
        description="Je vous rappelle demain avant midi.",
        due_at=stamp + DAY,
        is_sooner_confirmed=True,
    )
    kept = promise_make(
        actor=lea,
        case=cases[3],
        kind=PromiseKind.CALLBACK,
        description="Je vous rappelle dans l’après-midi.",
        due_at=stamp + dt.timedelta(hours=5),
        is_sooner_confirmed=True,
    )
    promise_keep(actor=lea, promise=kept, note="Rappel fait, client rassuré")
    cancelled = promise_make(
        actor=other,
        case=cases[4],
        kind=PromiseKind.INFORMATION,
        description="Je vous envoie la notice de montage.",
        due_at=stamp + 2 * DAY,
        is_sooner_confirmed=True,
    )
    promise_cancel(
        actor=other, promise=cancelled, reason="Le client l’a trouvée en ligne."
    )
    promise_from_legal_deadline(
        rule_code="FR.WITHDRAWAL.REFUND_14D",
        article="C. conso L221-24",
        customer_id=cases[5].customer_id,
        case_id=cases[5].pk,
        order_id=None,
        triggered_at=stamp - 3 * DAY,
        due_at=stamp + 11 * DAY,
    )


def _history(agents: list[User], rng: random.Random, stamp: dt.datetime) -> None:
    """Fulfilled promises of the past months: what the suggestions learn from."""
    customers = list(Case.objects.values_list("customer_id", flat=True)[:20])
    if not customers:
        return
    spans = {
        PromiseKind.CALLBACK: (2, 40),
        PromiseKind.REFUND: (72, 400),
        PromiseKind.INFORMATION: (4, 72),
    }
    rows = []
    for index in range(HISTORY):
        kind = list(spans)[index % len(spans)]
        low, high = spans[kind]
        made = stamp - dt.timedelta(days=rng.uniform(20, 200))
        promised = dt.timedelta(hours=(low + high) / 3)
        took = dt.timedelta(hours=rng.uniform(low, high))
        rows.append(
            Promise(
                customer_id=customers[index % len(customers)],
                kind=kind,
                description="Promesse passée",
                source=PromiseSource.AGENT,
                made_by=agents[index % len(agents)] if agents else None,
                made_at=made,
                original_due_at=made + promised,
                due_at=made + promised,
                state=PromiseState.KEPT if took <= promised else PromiseState.BROKEN,
                state_changed_at=made + max(took, promised),
                fulfilled_at=made + took,
                evidence="Historique",
                source_key=f"demo:history:{index}",
            )
        )
    Promise.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def demo_promises_ensure(*, agents: list[User], seed: int = 1) -> bool:
    """Add the demo promises once; returns whether anything was added."""
    if policy_for(PromiseKind.DELIVERY) is not None:
        return False
    stamp = now()
    warning_policy_save(
        actor=None,
        name=DELIVERY_POLICY,
        kind=PromiseKind.DELIVERY,
        lead_hours=48,
        silence_days=3,
        extension_days=3,
    )
    warning_policy_save(
        actor=None, name="Remboursements", kind=PromiseKind.REFUND, lead_hours=72
    )
    _history(agents, random.Random(seed), stamp)  # noqa: S311 (demo data)
    _delivery_promises(seed, stamp)
    _case_promises(agents, stamp)
    _exception(stamp)
    tracking_ingest(
        actor=None,
        event=CarrierEvent(
            carrier="Colissimo",
            tracking_number="6A99999999999",
            external_id="demo-unknown-1",
            status=ShipmentStatus.IN_TRANSIT,
            occurred_at=stamp - dt.timedelta(hours=6),
            location="Plateforme de Roissy",
        ),
        source="webhook",
    )
    return True
