"""The periodic scan: at risk when due soon without progress or when tracking is
silent, the customer warned once per slip (again after a renegotiation slips too),
the owning agent notified, overdue promises broken."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.commerce.models import ShipmentStatus
from amiable.notifications.models import Notification
from amiable.promises.models import (
    Promise,
    PromiseKind,
    PromiseState,
    PromiseWarning,
    RiskReason,
)
from amiable.promises.services import promise_renegotiate, promise_scan
from tests.factories import OrderFactory, ShipmentFactory, TrackingEventFactory
from tests.factories.promises import PromiseFactory, WarningPolicyFactory


def due_in(hours: float, **extra: Any) -> Promise:
    now = timezone.now()
    return PromiseFactory.create(
        made_at=now - dt.timedelta(days=2),
        due_at=now + dt.timedelta(hours=hours),
        original_due_at=now + dt.timedelta(hours=hours),
        **extra,
    )


@pytest.mark.django_db
def test_due_soon_is_at_risk_but_out_for_delivery_is_progress(
    case: Case, agent: User
) -> None:
    WarningPolicyFactory.create(kind=PromiseKind.DELIVERY, lead_hours=48)
    moving = OrderFactory.create(customer=case.customer)
    ShipmentFactory.create(order=moving, status=ShipmentStatus.OUT_FOR_DELIVERY)
    stuck = OrderFactory.create(customer=case.customer)
    soon = due_in(30, customer=case.customer, kind=PromiseKind.DELIVERY, order=stuck)
    progressing = due_in(
        30, customer=case.customer, kind=PromiseKind.DELIVERY, order=moving
    )
    far = due_in(24 * 5, customer=case.customer, kind=PromiseKind.DELIVERY)
    callback = due_in(12, customer=case.customer, case=case)  # default lead: 24 h

    summary = promise_scan()

    states = {
        p.pk: (p.state, p.risk_reason)
        for p in Promise.objects.filter(
            pk__in=[soon.pk, progressing.pk, far.pk, callback.pk]
        )
    }
    assert states == {
        soon.pk: (PromiseState.AT_RISK, RiskReason.DUE_SOON),
        progressing.pk: (PromiseState.OPEN, ""),
        far.pk: (PromiseState.OPEN, ""),
        callback.pk: (PromiseState.AT_RISK, RiskReason.DUE_SOON),
    }
    assert (summary.at_risk, summary.warned) == (2, 1)  # no policy for callbacks


@pytest.mark.django_db
def test_a_shipment_silent_for_days_is_at_risk(case: Case) -> None:
    WarningPolicyFactory.create(
        kind=PromiseKind.DELIVERY, lead_hours=24, silence_days=3
    )
    now = timezone.now()
    silent = OrderFactory.create(customer=case.customer)
    heard = OrderFactory.create(customer=case.customer)
    old = ShipmentFactory.create(order=silent, shipped_at=now - dt.timedelta(days=6))
    TrackingEventFactory.create(shipment=old, occurred_at=now - dt.timedelta(days=4))
    fresh = ShipmentFactory.create(order=heard, shipped_at=now - dt.timedelta(days=6))
    TrackingEventFactory.create(shipment=fresh, occurred_at=now - dt.timedelta(days=1))
    quiet = due_in(
        24 * 6, customer=case.customer, kind=PromiseKind.DELIVERY, order=silent
    )
    talking = due_in(
        24 * 6, customer=case.customer, kind=PromiseKind.DELIVERY, order=heard
    )

    promise_scan()

    quiet.refresh_from_db()
    talking.refresh_from_db()
    assert (quiet.state, quiet.risk_reason) == (
        PromiseState.AT_RISK,
        RiskReason.TRACKING_SILENT,
    )
    assert talking.state == PromiseState.OPEN


@pytest.mark.django_db
def test_one_warning_per_slip_and_the_owner_is_notified(
    case: Case, agent: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    WarningPolicyFactory.create(kind=PromiseKind.REFUND, lead_hours=48)
    promise = due_in(20, customer=case.customer, case=case, kind=PromiseKind.REFUND)

    with django_capture_on_commit_callbacks(execute=True):
        promise_scan()
        promise_scan()
    promise.refresh_from_db()
    promise_renegotiate(
        actor=agent,
        promise=promise,
        due_at=timezone.now() + dt.timedelta(hours=30),
        reason="Virement bloqué par la banque",
        is_customer_told=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        promise_scan()  # the new date slips too: a new warning
        promise_scan()

    assert PromiseWarning.objects.filter(promise_id=promise.pk).count() == 2
    assert len(mail.outbox) == 2
    notes = Notification.objects.filter(recipient=agent, kind="promise.at_risk")
    assert notes.count() == 2
    assert {note.url for note in notes} == {f"/cases/{case.pk}/"}


@pytest.mark.django_db
def test_a_broken_promise_tells_its_owner_once(case: Case, agent: User) -> None:
    promise = due_in(-1, customer=case.customer, case=case, made_by=agent)

    promise_scan()
    promise_scan()

    promise.refresh_from_db()
    note = Notification.objects.get(recipient=agent, kind="promise.broken")
    assert promise.state == PromiseState.BROKEN
    assert note.title == f"Promesse non tenue : {promise.description}"
    assert note.url == f"/cases/{case.pk}/"
