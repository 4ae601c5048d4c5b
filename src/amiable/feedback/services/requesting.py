"""Asking a customer for a survey: the one place throttling, consent, open cases and
quiet hours are decided."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db import IntegrityError, transaction

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.cases.models import OPEN_STATUSES, Case
from amiable.commerce.models import Order, OrderLine
from amiable.core.clock import now
from amiable.customers.models import (
    ConsentPurpose,
    Customer,
    CustomerStatus,
    Identity,
    IdentityKind,
)
from amiable.customers.selectors import consent_current
from amiable.feedback.models import (
    FeedbackSettings,
    Survey,
    SurveyKind,
    SurveyMedium,
    SurveyStatus,
    SurveyTrigger,
)
from amiable.feedback.quiet_hours import quiet_end
from amiable.feedback.signing import public_key_new


class SkipReason(StrEnum):
    DISABLED = "disabled"
    MERGED = "merged_customer"
    NO_CONSENT = "no_consent"
    NO_EMAIL = "no_email"  # no email address, and SMS is off or there is no phone
    THROTTLED = "throttled"
    CASE_OPEN = "case_open"
    ALREADY_ASKED = "already_asked"


@dataclass(frozen=True)
class SurveyRequestOutcome:
    """The survey made (sent now or deferred past quiet hours), or why none was."""

    survey: Survey | None
    skipped: SkipReason | None = None


def feedback_settings_get() -> FeedbackSettings:
    """The survey settings row, or (unsaved) defaults when none was saved yet."""
    return FeedbackSettings.objects.filter(pk=1).first() or FeedbackSettings(pk=1)


def surveys_consented(customer: Customer) -> bool:
    """Whether the latest SURVEYS consent decision of the customer is a grant."""
    return any(
        consent.purpose == ConsentPurpose.SURVEYS and consent.is_granted
        for consent in consent_current(customer=customer)
    )


def _address_of(customer: Customer, kind: str) -> str:
    """The customer's best identity of ``kind`` (primary, then verified, first)."""
    identity = (
        Identity.objects.filter(customer=customer, kind=kind)
        .order_by("-is_primary", "-is_verified", "id")
        .first()
    )
    if identity is None:
        return ""
    return identity.normalized if kind == IdentityKind.PHONE else identity.value


def _skip_reason(
    *,
    customer: Customer,
    config: FeedbackSettings,
    case: Case | None,
    at: dt.datetime,
) -> SkipReason | None:
    if not config.is_enabled:
        return SkipReason.DISABLED
    if customer.status == CustomerStatus.MERGED:
        return SkipReason.MERGED
    if not surveys_consented(customer):
        return SkipReason.NO_CONSENT
    recent = Survey.objects.filter(
        customer=customer,
        requested_at__gt=at - dt.timedelta(days=config.throttle_days),
    ).exclude(status=SurveyStatus.FAILED)
    if recent.exists():
        return SkipReason.THROTTLED
    open_cases = Case.objects.filter(customer=customer, status__in=OPEN_STATUSES)
    if case is not None:
        open_cases = open_cases.exclude(pk=case.pk)
    if open_cases.exists():
        return SkipReason.CASE_OPEN
    return None


def _kind_for(trigger: str, config: FeedbackSettings) -> str:
    if trigger == SurveyTrigger.DELIVERY:
        return config.delivery_kind
    if trigger == SurveyTrigger.CASE_RESOLVED:
        return config.case_kind
    return SurveyKind.NPS


@transaction.atomic
def survey_request(
    *,
    actor: User | None,
    customer: Customer,
    trigger: str,
    case: Case | None = None,
    order: Order | None = None,
    kind: str | None = None,
    at: dt.datetime | None = None,
) -> SurveyRequestOutcome:
    """Make a survey for ``customer`` unless a rule says no, and send it after commit.

    Rules: surveys enabled; SURVEYS consent granted; an email address (or, when
    the settings allow it, a phone number: the survey goes by SMS); at most one
    survey per ``throttle_days``; no open case of the customer other than ``case``;
    one survey per trigger and case or order. During quiet hours the survey is kept
    and sent when they end (by the scan). Writes an audit event for a new survey.
    """
    at = at or now()
    config = feedback_settings_get()
    # Serialise the requests of one customer so two triggers cannot both pass the
    # throttle check (SQLite serialises writers anyway; this is for PostgreSQL).
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    reason = _skip_reason(customer=customer, config=config, case=case, at=at)
    email = phone = ""
    if reason is None:
        email = _address_of(customer, IdentityKind.EMAIL)
        if not email and config.is_sms_allowed:
            phone = _address_of(customer, IdentityKind.PHONE)
        if not (email or phone):
            reason = SkipReason.NO_EMAIL
    if reason is not None:
        return SurveyRequestOutcome(None, reason)
    line = (
        OrderLine.objects.filter(order=order).select_related("product").first()
        if order is not None
        else None
    )
    team = case.team if case is not None else None
    zone = team.time_zone if team is not None else config.time_zone
    survey = Survey(
        public_key=public_key_new(),
        customer=customer,
        kind=kind or _kind_for(trigger, config),
        trigger=trigger,
        language=customer.preferred_language or "fr",
        medium=SurveyMedium.EMAIL if email else SurveyMedium.SMS,
        email=email,
        phone=phone,
        case=case,
        order=order,
        team=team,
        agent=case.assignee if case is not None else None,
        product=line.product if line is not None else None,
        channel=case.channel if case is not None else "",
        category=case.category if case is not None else "",
        customer_tier=customer.tier,
        requested_at=at,
        scheduled_for=quiet_end(
            at,
            start_hour=config.quiet_start_hour,
            end_hour=config.quiet_end_hour,
            zone=zone,
        ),
    )
    try:
        with transaction.atomic():
            survey.save()
    except IntegrityError:
        return SurveyRequestOutcome(None, SkipReason.ALREADY_ASKED)
    audit_record(
        actor=actor,
        action="survey.request",
        instance=survey,
        after={"kind": survey.kind, "trigger": trigger, "customer": customer.pk},
    )
    if survey.scheduled_for <= at:
        from amiable.feedback.tasks import survey_send_task

        survey_id = survey.pk
        transaction.on_commit(lambda: survey_send_task.enqueue(survey_id=survey_id))
    return SurveyRequestOutcome(survey)
