"""Automatic promises and their evidence, through the catalogue events: orders,
tracking events, calls and replies, refund gestures, legal deadlines."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.services import case_log_call, case_reply
from amiable.commerce.models import Order
from amiable.commerce.services import (
    OrderLineIn,
    order_create,
    shipment_create,
    tracking_event_record,
)
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.customers.models import Customer
from amiable.events.catalogue import (
    GestureApplied,
    LegalDeadlineChanged,
    LegalDeadlineMet,
    LegalDeadlineStarted,
)
from amiable.events.services import event_emit
from amiable.promises.models import Promise, PromiseKind, PromiseState, RiskReason
from amiable.promises.services import promise_scan
from tests.factories import ProductFactory
from tests.factories.promises import PromiseFactory, WarningPolicyFactory

Capture = Callable[..., Any]


def place(
    customer: Customer,
    capture: Capture,
    *,
    placed_at: dt.datetime,
    promised: dt.date | None,
) -> Order:
    product = ProductFactory.create()
    with capture(execute=True):
        return order_create(
            actor=None,
            customer=customer,
            external_ref=f"CMD-{placed_at:%Y%m%d%H%M}",
            placed_at=placed_at,
            lines=[OrderLineIn(product.pk, 1, Decimal("25.00"))],
            promised_delivery_date=promised,
        )


def track(
    order: Order, capture: Capture, events: list[tuple[str, dt.datetime]]
) -> None:
    with capture(execute=True):
        shipment = shipment_create(
            actor=None, order=order, carrier="DPD", tracking_number=f"T{order.pk}"
        )
    for index, (status, at) in enumerate(events):
        with capture(execute=True):
            tracking_event_record(
                actor=None,
                shipment=shipment,
                external_id=f"{order.pk}-{index}",
                status=status,
                occurred_at=at,
            )


@pytest.mark.django_db
def test_an_order_without_a_date_gets_the_legal_thirty_days(
    customer: Customer, django_capture_on_commit_callbacks: Capture
) -> None:
    placed = dt.datetime(2026, 6, 10, 14, 0, tzinfo=dt.UTC)

    order = place(
        customer, django_capture_on_commit_callbacks, placed_at=placed, promised=None
    )

    promise = Promise.objects.get(order=order)
    assert (promise.rule_code, promise.due_at, promise.made_at, promise.source) == (
        "FR.DELIVERY.DEFAULT_30D",
        dt.datetime(2026, 7, 10, 21, 59, 59, tzinfo=dt.UTC),
        placed,
        "system",
    )
    assert promise.description == f"Livrer la commande {order.external_ref}"


@pytest.mark.django_db
def test_a_delivery_in_time_keeps_the_promise_and_a_late_one_breaks_it(
    customer: Customer, django_capture_on_commit_callbacks: Capture
) -> None:
    now = timezone.now()
    on_time = place(
        customer,
        django_capture_on_commit_callbacks,
        placed_at=now - dt.timedelta(days=3),
        promised=(now + dt.timedelta(days=2)).date(),
    )
    late = place(
        customer,
        django_capture_on_commit_callbacks,
        placed_at=now - dt.timedelta(days=20),
        promised=(now - dt.timedelta(days=10)).date(),
    )

    track(on_time, django_capture_on_commit_callbacks, [("delivered", now)])
    track(late, django_capture_on_commit_callbacks, [("delivered", now)])

    kept = Promise.objects.get(order=on_time)
    broken = Promise.objects.get(order=late)
    assert (kept.state, kept.fulfilled_at, kept.carrier) == (
        PromiseState.KEPT,
        now,
        "DPD",
    )
    assert (broken.state, broken.fulfilled_at) == (PromiseState.BROKEN, now)


@pytest.mark.django_db
def test_a_broken_promise_delivered_later_records_the_late_delivery(
    customer: Customer, django_capture_on_commit_callbacks: Capture
) -> None:
    now = timezone.now()
    order = place(
        customer,
        django_capture_on_commit_callbacks,
        placed_at=now - dt.timedelta(days=9),
        promised=(now - dt.timedelta(days=2)).date(),
    )
    promise_scan()  # the date passed: broken
    promise = Promise.objects.get(order=order)
    assert promise.state == PromiseState.BROKEN

    track(order, django_capture_on_commit_callbacks, [("delivered", now)])

    promise.refresh_from_db()
    assert (promise.state, promise.fulfilled_at) == (PromiseState.BROKEN, now)
    line = Interaction.objects.filter(channel=Channel.SYSTEM).latest("id")
    assert line.metadata["promise"]["step"] == "fulfilled_late"


@pytest.mark.django_db
def test_a_carrier_exception_puts_the_promise_at_risk_and_warns_in_english(
    english_customer: Customer, django_capture_on_commit_callbacks: Capture
) -> None:
    WarningPolicyFactory.create(kind=PromiseKind.DELIVERY)
    now = timezone.now()
    order = place(
        english_customer,
        django_capture_on_commit_callbacks,
        placed_at=now - dt.timedelta(days=2),
        promised=(now + dt.timedelta(days=10)).date(),
    )

    track(
        order,
        django_capture_on_commit_callbacks,
        [("in_transit", now - dt.timedelta(days=1)), ("exception", now)],
    )

    promise = Promise.objects.get(order=order)
    assert (promise.state, promise.risk_reason) == (
        PromiseState.AT_RISK,
        RiskReason.CARRIER_EXCEPTION,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["oliver@example.co.uk"]
    assert mail.outbox[0].body.startswith("Hello Oliver Smith,")
    assert "New expected date:" in mail.outbox[0].body


@pytest.mark.django_db
def test_an_outbound_call_keeps_the_callback_promise_of_its_case(
    case: Case, agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    callback = PromiseFactory.create(
        customer=case.customer, case=case, kind=PromiseKind.CALLBACK
    )
    other_case = PromiseFactory.create(
        customer=case.customer, kind=PromiseKind.CALLBACK
    )

    with django_capture_on_commit_callbacks(execute=True):
        case_log_call(
            actor=agent,
            case=case,
            direction=Direction.INBOUND,
            duration_seconds=60,
            outcome="answered",
        )
    callback.refresh_from_db()
    assert callback.state == PromiseState.OPEN  # the customer called us: not kept

    with django_capture_on_commit_callbacks(execute=True):
        case_log_call(
            actor=agent,
            case=case,
            direction=Direction.OUTBOUND,
            duration_seconds=120,
            outcome="answered",
        )

    callback.refresh_from_db()
    other_case.refresh_from_db()
    assert (callback.state, callback.evidence) == (PromiseState.KEPT, "Client rappelé")
    assert other_case.state == PromiseState.OPEN


@pytest.mark.django_db
def test_a_reply_keeps_an_information_promise(
    case: Case, agent: User, django_capture_on_commit_callbacks: Capture
) -> None:
    answer = PromiseFactory.create(
        customer=case.customer, case=case, kind=PromiseKind.INFORMATION
    )

    with django_capture_on_commit_callbacks(execute=True):
        case_reply(actor=agent, case=case, body_text="Voici la réponse promise.")

    answer.refresh_from_db()
    assert answer.state == PromiseState.KEPT


def emit(event: Any, capture: Capture) -> None:
    with capture(execute=True), transaction.atomic():
        event_emit(event)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("refund", PromiseState.KEPT),
        ("partial_refund", PromiseState.KEPT),
        ("voucher", PromiseState.OPEN),
    ],
)
@pytest.mark.django_db
def test_a_refund_gesture_keeps_the_open_refund_promise_of_its_case(
    case: Case, kind: str, expected: str, django_capture_on_commit_callbacks: Capture
) -> None:
    refund = PromiseFactory.create(
        customer=case.customer, case=case, kind=PromiseKind.REFUND
    )

    emit(
        GestureApplied(
            gesture_id=42,
            customer_id=case.customer_id,
            case_id=case.pk,
            order_id=None,
            kind=kind,
            amount=Decimal("30.00"),
            currency="EUR",
            applied_at=timezone.now(),
        ),
        django_capture_on_commit_callbacks,
    )

    refund.refresh_from_db()
    assert refund.state == expected


@pytest.mark.django_db
def test_a_legal_deadline_becomes_a_legal_promise_once(
    case: Case, django_capture_on_commit_callbacks: Capture
) -> None:
    started = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)
    event = LegalDeadlineStarted(
        rule_code="FR.WITHDRAWAL.REFUND_14D",
        article="C. conso L221-24",
        customer_id=case.customer_id,
        case_id=case.pk,
        order_id=None,
        triggered_at=started,
        due_at=dt.datetime(2026, 3, 15, 22, 59, 59, tzinfo=dt.UTC),
    )

    emit(event, django_capture_on_commit_callbacks)
    emit(event, django_capture_on_commit_callbacks)  # the same trigger twice

    promise = Promise.objects.get()
    assert promise.description == (
        "Vous rembourser, livraison standard comprise, sous 14 jours après votre "
        "rétractation (C. conso L221-24)"
    )
    assert (
        promise.kind,
        promise.rule_code,
        promise.article,
        promise.case_id,
        promise.due_at,
    ) == (
        PromiseKind.REFUND,
        "FR.WITHDRAWAL.REFUND_14D",
        "C. conso L221-24",
        case.pk,
        dt.datetime(2026, 3, 15, 22, 59, 59, tzinfo=dt.UTC),
    )


@pytest.mark.parametrize(
    ("rule", "kind"),
    [
        ("FR.DELIVERY.REFUND_14D", "refund"),
        ("FR.DELIVERY.PROMISED_DATE", "delivery"),
        ("FR.GUARANTEE.REMEDY_30D", "repair"),
        ("FR.MED.OUTCOME_90D", "information"),
        ("EU.GDPR.DSR_1M", "information"),
    ],
)
def test_rule_codes_map_to_promise_types(rule: str, kind: str) -> None:
    from amiable.promises.services import kind_of_rule

    assert kind_of_rule(rule) == kind


@pytest.mark.parametrize(
    ("status", "expected"),
    [("cancelled", PromiseState.CANCELLED), ("delivered", PromiseState.KEPT)],
)
@pytest.mark.django_db
def test_the_shop_cancelling_or_delivering_an_order_closes_its_promise(
    api_client: Any,
    customer: Customer,
    status: str,
    expected: str,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    now = timezone.now()
    order = place(
        customer,
        django_capture_on_commit_callbacks,
        placed_at=now - dt.timedelta(days=1),
        promised=(now + dt.timedelta(days=3)).date(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.patch(
            f"/api/v1/orders/{order.pk}",
            {"status": status},
            content_type="application/json",
        )

    promise = Promise.objects.get(order=order)
    assert response.status_code == 200
    assert promise.state == expected


def _mediation_start(case: Case, *, bearer: str) -> LegalDeadlineStarted:
    return LegalDeadlineStarted(
        rule_code="FR.MED.INFO_AFTER_FAILED_COMPLAINT",
        article="C. conso L616-1",
        customer_id=case.customer_id,
        case_id=case.pk,
        order_id=None,
        triggered_at=dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC),
        due_at=dt.datetime(2026, 3, 31, 21, 59, 59, tzinfo=dt.UTC),
        bearer=bearer,
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bearer", "promised"),
    [
        ("professional", 1),
        ("parties", 1),
        ("consumer", 0),
        ("mediator", 0),
        ("limitation", 0),
    ],
)
def test_only_the_deadlines_that_bind_us_are_promised(
    case: Case,
    django_capture_on_commit_callbacks: Capture,
    bearer: str,
    promised: int,
) -> None:
    emit(_mediation_start(case, bearer=bearer), django_capture_on_commit_callbacks)

    assert Promise.objects.filter(rule_code__startswith="FR.MED.").count() == promised


@pytest.mark.django_db
def test_a_met_legal_deadline_keeps_its_promise(
    case: Case, django_capture_on_commit_callbacks: Capture
) -> None:
    start = _mediation_start(case, bearer="professional")
    emit(start, django_capture_on_commit_callbacks)

    emit(
        LegalDeadlineMet(
            rule_code=start.rule_code,
            customer_id=case.customer_id,
            case_id=case.pk,
            order_id=None,
            due_at=start.due_at,
            met_at=dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC),
        ),
        django_capture_on_commit_callbacks,
    )

    promise = Promise.objects.get(rule_code=start.rule_code)
    assert (promise.state, promise.fulfilled_at) == (
        PromiseState.KEPT,
        dt.datetime(2026, 3, 20, 9, 0, tzinfo=dt.UTC),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("new_due", "state"),
    [
        (dt.datetime(2026, 4, 30, 21, 59, 59, tzinfo=dt.UTC), PromiseState.OPEN),
        (None, PromiseState.CANCELLED),
    ],
    ids=["extended", "no-longer-applies"],
)
def test_a_moved_legal_deadline_moves_its_promise_without_renegotiating(
    case: Case,
    django_capture_on_commit_callbacks: Capture,
    new_due: dt.datetime | None,
    state: str,
) -> None:
    start = _mediation_start(case, bearer="professional")
    emit(start, django_capture_on_commit_callbacks)

    emit(
        LegalDeadlineChanged(
            rule_code=start.rule_code,
            article=start.article,
            customer_id=case.customer_id,
            case_id=case.pk,
            order_id=None,
            previous_due_at=start.due_at,
            due_at=new_due,
            reason="extended" if new_due else "cancelled",
        ),
        django_capture_on_commit_callbacks,
    )

    promise = Promise.objects.get(rule_code=start.rule_code)
    assert promise.state == state
    assert promise.original_due_at == start.due_at
    assert promise.due_at == (new_due or start.due_at)
    assert promise.renegotiation_count == 0
