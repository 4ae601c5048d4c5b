"""The periodic promise scan: break what is past due, flag what is at risk, warn
the customers whose promise is about to slip. Idempotent: run it as often as you
like, each change happens once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce

from amiable.commerce.models import Shipment, ShipmentStatus
from amiable.core.clock import now
from amiable.promises.models import (
    LIVE_STATES,
    Promise,
    PromiseKind,
    PromiseState,
    RiskReason,
    WarningPolicy,
)
from amiable.promises.services.lifecycle import promise_break, promise_mark_at_risk
from amiable.promises.services.warnings import policy_for, promise_warn

DEFAULT_LEAD_HOURS = 24
DEFAULT_SILENCE_DAYS = 3
BATCH = 500
SHIPMENT_MOVING = (
    ShipmentStatus.PENDING,
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.OUT_FOR_DELIVERY,
)


@dataclass(frozen=True)
class ScanSummary:
    broken: int
    at_risk: int
    warned: int


def _break_overdue(stamp: dt.datetime) -> int:
    count = 0
    last_id = 0
    while True:
        batch = list(
            Promise.objects.filter(
                state__in=LIVE_STATES, due_at__lt=stamp, pk__gt=last_id
            ).order_by("id")[:BATCH]
        )
        if not batch:
            return count
        for promise in batch:
            if promise_break(promise=promise, at=stamp).state == PromiseState.BROKEN:
                count += 1
        last_id = batch[-1].pk


def _flag_due_soon(stamp: dt.datetime, policies: list[WarningPolicy]) -> int:
    leads = [policy.lead_hours for policy in policies] + [DEFAULT_LEAD_HOURS]
    horizon = stamp + dt.timedelta(hours=max(leads))
    candidates = list(
        Promise.objects.filter(
            state__in=(PromiseState.OPEN, PromiseState.RENEGOTIATED),
            due_at__gte=stamp,
            due_at__lte=horizon,
        )
        .select_related("order")
        .order_by("due_at", "id")[: BATCH * 10]
    )
    moving_orders = set(
        Shipment.objects.filter(
            status=ShipmentStatus.OUT_FOR_DELIVERY,
            order__promises__in=[p.pk for p in candidates],
        ).values_list("order_id", flat=True)
    )
    count = 0
    for promise in candidates:
        policy = policy_for(promise.kind, policies)
        lead = policy.lead_hours if policy is not None else DEFAULT_LEAD_HOURS
        if promise.due_at > stamp + dt.timedelta(hours=lead):
            continue
        if promise.kind == PromiseKind.DELIVERY and promise.order_id in moving_orders:
            continue  # out for delivery today: that is progress
        promise_mark_at_risk(actor=None, promise=promise, reason=RiskReason.DUE_SOON)
        count += 1
    return count


def _flag_silent_tracking(stamp: dt.datetime, policies: list[WarningPolicy]) -> int:
    policy = policy_for(PromiseKind.DELIVERY, policies)
    days = policy.silence_days if policy is not None else DEFAULT_SILENCE_DAYS
    cutoff = stamp - dt.timedelta(days=max(1, days))
    silent_orders = (
        Shipment.objects.filter(
            status__in=SHIPMENT_MOVING,
            order__promises__kind=PromiseKind.DELIVERY,
            order__promises__state__in=(PromiseState.OPEN, PromiseState.RENEGOTIATED),
        )
        .annotate(
            heard_at=Coalesce(Max("events__occurred_at"), "shipped_at", "created_at")
        )
        .filter(heard_at__lt=cutoff)
        .values_list("order_id", flat=True)
    )
    count = 0
    promises = Promise.objects.filter(
        Q(order_id__in=list(silent_orders[: BATCH * 10])),
        kind=PromiseKind.DELIVERY,
        state__in=(PromiseState.OPEN, PromiseState.RENEGOTIATED),
        due_at__gte=stamp,
    )
    for promise in promises:
        promise_mark_at_risk(
            actor=None, promise=promise, reason=RiskReason.TRACKING_SILENT
        )
        count += 1
    return count


def _warn_at_risk(stamp: dt.datetime, policies: list[WarningPolicy]) -> int:
    if not policies:
        return 0
    count = 0
    at_risk = (
        Promise.objects.filter(state=PromiseState.AT_RISK, due_at__gt=stamp)
        # Already warned for this due time: nothing to do (the unique slip key
        # guarantees it anyway; this keeps the scan cheap).
        .exclude(warnings__due_at=F("due_at"))
        .order_by("due_at", "id")[: BATCH * 10]
    )
    for promise in at_risk:
        policy = policy_for(promise.kind, policies)
        if policy is None:
            continue
        if promise_warn(promise=promise, policy=policy, at=stamp) is not None:
            count += 1
    return count


def promise_scan(*, at: dt.datetime | None = None) -> ScanSummary:
    """One pass of the scan at ``at`` (now); returns what changed."""
    stamp = at or now()
    policies = list(WarningPolicy.objects.filter(is_active=True))
    broken = _break_overdue(stamp)
    at_risk = _flag_due_soon(stamp, policies) + _flag_silent_tracking(stamp, policies)
    warned = _warn_at_risk(stamp, policies)
    return ScanSummary(broken=broken, at_risk=at_risk, warned=warned)
