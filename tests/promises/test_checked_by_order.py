"""Checked by: an order past its promised date without delivery becomes broken,
and its customer was warned before the date — through the API, the event handler
and the periodic scan task, with the email delivered by the conversations task."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from amiable.cases.models import Case
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.customers.models import Customer
from amiable.promises.models import (
    Promise,
    PromiseKind,
    PromiseState,
    PromiseTransition,
    PromiseWarning,
)
from amiable.promises.tasks import promise_scan_task
from tests.factories import ProductFactory
from tests.factories.promises import WarningPolicyFactory

PLACED = "2026-03-02T09:00:00+00:00"
DUE = dt.datetime(2026, 3, 6, 22, 59, 59, tzinfo=dt.UTC)  # 6 March, 23:59:59 Paris


def _record_order(api_client: Client, customer: Customer) -> dict[str, Any]:
    product = ProductFactory.create(name="Théière en fonte")
    response = api_client.post(
        "/api/v1/orders",
        {
            "customer_id": customer.pk,
            "external_ref": "CMD-2026-0042",
            "placed_at": PLACED,
            "promised_delivery_date": "2026-03-06",
            "lines": [{"product_id": product.pk, "quantity": 1, "unit_price": "59.00"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    order: dict[str, Any] = response.json()
    shipped = api_client.post(
        f"/api/v1/orders/{order['id']}/shipments",
        {
            "carrier": "Colissimo",
            "tracking_number": "6A12345678901",
            "shipped_at": "2026-03-03T10:00:00+00:00",
        },
        content_type="application/json",
    )
    assert shipped.status_code == 201
    return order


@pytest.mark.django_db
def test_an_undelivered_order_is_warned_before_its_date_then_broken(
    api_client: Client,
    customer: Customer,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    WarningPolicyFactory.create(
        name="Livraisons", kind=PromiseKind.DELIVERY, lead_hours=48, extension_days=3
    )
    with (
        time_machine.travel(PLACED, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        order = _record_order(api_client, customer)
    promise = Promise.objects.get(order_id=order["id"])
    assert (promise.kind, promise.state, promise.due_at, promise.rule_code) == (
        PromiseKind.DELIVERY,
        PromiseState.OPEN,
        DUE,
        "FR.DELIVERY.PROMISED_DATE",
    )

    # Two days before the date, nothing delivered: the scan warns the customer.
    with (
        time_machine.travel("2026-03-05T12:00:00+00:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        promise_scan_task.enqueue()
        promise_scan_task.enqueue()  # a second pass sends nothing more

    promise.refresh_from_db()
    warning = PromiseWarning.objects.get()
    assert promise.state == PromiseState.AT_RISK
    assert warning.sent_at < promise.due_at
    assert warning.expected_at == DUE + dt.timedelta(days=3)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["elodie@exemple.fr"]
    assert "CMD-2026-0042" in message.subject
    assert "Nouvelle date prévue : 9 mars 2026." in message.body
    assert "6 mars 2026" in message.body
    case = Case.objects.get(orders__pk=order["id"])
    outbound = Interaction.objects.get(case=case, direction=Direction.OUTBOUND)
    assert (outbound.channel, outbound.metadata["delivery"]) == (Channel.EMAIL, "sent")
    assert promise.case_id == case.pk

    # The date passes without a delivery: the promise is broken.
    with (
        time_machine.travel("2026-03-07T08:00:00+00:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        promise_scan_task.enqueue()

    promise.refresh_from_db()
    assert promise.state == PromiseState.BROKEN
    assert list(
        PromiseTransition.objects.filter(promise=promise).values_list(
            "from_state", "to_state"
        )
    ) == [("", "open"), ("open", "at_risk"), ("at_risk", "broken")]
    assert len(mail.outbox) == 1
    lines = Interaction.objects.filter(
        customer=customer, channel=Channel.SYSTEM
    ).values_list("metadata__promise__step", flat=True)
    assert list(lines) == ["made", "at_risk", "broken"]
