"""The periodic scan: find what should be surveyed now, and send deferred surveys."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.db.models import Exists, OuterRef

from amiable.cases.models import Case, CaseStatus
from amiable.commerce.models import Shipment
from amiable.core.clock import now
from amiable.customers.models import ConsentPurpose, Customer, CustomerStatus
from amiable.feedback.models import Survey, SurveyStatus, SurveyTrigger
from amiable.feedback.services.requesting import (
    SurveyRequestOutcome,
    feedback_settings_get,
    survey_request,
)

# A trigger looks this far back, so a scan that did not run for a while (or ran
# during an outage) still catches what it missed; the unique constraints and the
# throttle make looking twice harmless.
LOOKBACK = dt.timedelta(days=2)
RELATIONSHIP_BATCH = 500


@dataclass(frozen=True)
class ScanSummary:
    requested: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    due_sent: int = 0


def _tally(outcomes: list[SurveyRequestOutcome]) -> tuple[int, dict[str, int]]:
    made = sum(1 for outcome in outcomes if outcome.survey is not None)
    skipped = Counter(str(o.skipped) for o in outcomes if o.skipped is not None)
    return made, dict(skipped)


def _case_surveys(at: dt.datetime, delay_hours: int) -> list[SurveyRequestOutcome]:
    """Cases resolved ``delay_hours`` ago and still resolved (or closed)."""
    until = at - dt.timedelta(hours=delay_hours)
    asked = Survey.objects.filter(
        trigger=SurveyTrigger.CASE_RESOLVED, case=OuterRef("pk")
    )
    cases = (
        Case.objects.filter(
            status__in=(CaseStatus.RESOLVED, CaseStatus.CLOSED),
            resolved_at__gt=until - LOOKBACK,
            resolved_at__lte=until,
        )
        .exclude(Exists(asked))
        .select_related("customer", "team", "assignee")
        .order_by("resolved_at", "id")
    )
    return [
        survey_request(
            actor=None,
            customer=case.customer,
            trigger=SurveyTrigger.CASE_RESOLVED,
            case=case,
            at=at,
        )
        for case in cases
    ]


def _delivery_surveys(at: dt.datetime, delay_days: int) -> list[SurveyRequestOutcome]:
    until = at - dt.timedelta(days=delay_days)
    asked = Survey.objects.filter(
        trigger=SurveyTrigger.DELIVERY, order=OuterRef("order_id")
    )
    shipments = (
        Shipment.objects.filter(
            delivered_at__gt=until - LOOKBACK, delivered_at__lte=until
        )
        .exclude(Exists(asked))
        .select_related("order__customer")
        .order_by("delivered_at", "id")
    )
    outcomes = []
    seen: set[int] = set()
    for shipment in shipments:
        if shipment.order_id in seen:
            continue
        seen.add(shipment.order_id)
        outcomes.append(
            survey_request(
                actor=None,
                customer=shipment.order.customer,
                trigger=SurveyTrigger.DELIVERY,
                order=shipment.order,
                at=at,
            )
        )
    return outcomes


def _relationship_surveys(
    at: dt.datetime, interval_days: int
) -> list[SurveyRequestOutcome]:
    recent = Survey.objects.filter(
        customer=OuterRef("pk"),
        requested_at__gt=at - dt.timedelta(days=interval_days),
    )
    customers = (
        Customer.objects.filter(
            status=CustomerStatus.ACTIVE,
            consents__purpose=ConsentPurpose.SURVEYS,
            consents__is_granted=True,
        )
        .exclude(Exists(recent))
        .distinct()
        .order_by("id")[:RELATIONSHIP_BATCH]
    )
    return [
        survey_request(
            actor=None, customer=customer, trigger=SurveyTrigger.RELATIONSHIP, at=at
        )
        for customer in customers
    ]


def survey_scan(*, at: dt.datetime | None = None) -> ScanSummary:
    """Run every trigger once (cases resolved N hours ago, deliveries N days ago,
    relationship NPS due), in that order so one customer gets the most specific
    survey, and enqueue the deferred surveys whose quiet hours are over. Idempotent."""
    at = at or now()
    config = feedback_settings_get()
    if not config.is_enabled:
        return ScanSummary()
    outcomes = _case_surveys(at, config.case_delay_hours)
    outcomes += _delivery_surveys(at, config.delivery_delay_days)
    outcomes += _relationship_surveys(at, config.relationship_interval_days)
    made, skipped = _tally(outcomes)
    from amiable.feedback.tasks import survey_send_task

    due_ids = list(
        Survey.objects.filter(
            status=SurveyStatus.SCHEDULED, scheduled_for__lte=at, requested_at__lt=at
        ).values_list("id", flat=True)
    )
    for survey_id in due_ids:
        transaction.on_commit(partial(survey_send_task.enqueue, survey_id=survey_id))
    return ScanSummary(requested=made, skipped=skipped, due_sent=len(due_ids))
