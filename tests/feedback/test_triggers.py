"""Asking for surveys: triggers, throttling, consent, open cases, quiet hours, email."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from pytest_django.fixtures import Settings

from amiable.cases.models import CaseStatus
from amiable.conversations.sms import MemorySmsBackend
from amiable.customers.models import Customer, CustomerTier, IdentityKind
from amiable.feedback.models import (
    FeedbackSettings,
    Survey,
    SurveyKind,
    SurveyMedium,
    SurveyResponse,
    SurveyStatus,
    SurveyTrigger,
)
from amiable.feedback.services import SkipReason, survey_request, survey_scan
from amiable.feedback.signing import TokenState, token_check
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    OrderFactory,
    OrderLineFactory,
    ShipmentFactory,
)
from tests.factories.feedback import SurveyFactory
from tests.feedback.conftest import DAYTIME, consent, link

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
PARIS = ZoneInfo("Europe/Paris")


def _three_triggers(customer: Customer, at: dt.datetime) -> None:
    """A case resolved a day and an hour ago (the case survey waits 24 hours), an
    order delivered three days ago, and no survey ever (relationship NPS due): all
    three fire at ``at``."""
    CaseFactory.create(
        customer=customer,
        status=CaseStatus.RESOLVED,
        opened_at=at - dt.timedelta(days=3),
        resolved_at=at - dt.timedelta(hours=25),
    )
    order = OrderFactory.create(customer=customer)
    OrderLineFactory.create(order=order)
    ShipmentFactory.create(order=order, delivered_at=at - dt.timedelta(days=3, hours=1))


def test_three_triggers_on_one_day_send_exactly_one_survey(
    customer: Customer, django_capture_on_commit_callbacks: OnCommit
) -> None:
    _three_triggers(customer, DAYTIME)

    with django_capture_on_commit_callbacks(execute=True):
        summary = survey_scan(at=DAYTIME)

    survey = Survey.objects.get()
    assert (survey.trigger, survey.kind, survey.status) == (
        SurveyTrigger.CASE_RESOLVED,
        SurveyKind.CSAT,
        SurveyStatus.SENT,
    )
    # The delivery trigger is throttled; the relationship survey is no longer due
    # (the customer was surveyed a moment ago), so it is not even asked.
    assert summary.requested == 1
    assert summary.skipped == {"throttled": 1}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["claire@exemple.fr"]


def test_scanning_again_the_next_day_sends_nothing_more(
    customer: Customer, django_capture_on_commit_callbacks: OnCommit
) -> None:
    _three_triggers(customer, DAYTIME)
    with django_capture_on_commit_callbacks(execute=True):
        survey_scan(at=DAYTIME)

    with django_capture_on_commit_callbacks(execute=True):
        survey_scan(at=DAYTIME + dt.timedelta(hours=2))

    assert Survey.objects.count() == 1
    assert len(mail.outbox) == 1


def test_throttle_period_over_allows_a_new_survey(customer: Customer) -> None:
    SurveyFactory.create(
        customer=customer, requested_at=DAYTIME - dt.timedelta(days=31)
    )

    outcome = survey_request(
        actor=None, customer=customer, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
    )

    assert outcome.skipped is None
    assert Survey.objects.filter(customer=customer).count() == 2


def test_survey_within_the_throttle_period_is_refused(customer: Customer) -> None:
    SurveyFactory.create(
        customer=customer, requested_at=DAYTIME - dt.timedelta(days=29)
    )

    outcome = survey_request(
        actor=None, customer=customer, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
    )

    assert (outcome.survey, outcome.skipped) == (None, SkipReason.THROTTLED)


@pytest.mark.parametrize("history", ["never", "withdrawn"])
def test_no_survey_without_current_consent(
    db: None, history: str, django_capture_on_commit_callbacks: OnCommit
) -> None:
    person = CustomerFactory.create()
    IdentityFactory.create(customer=person)
    if history == "withdrawn":
        consent(person, granted=True, at=DAYTIME - dt.timedelta(days=10))
        consent(person, granted=False, at=DAYTIME - dt.timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        outcome = survey_request(
            actor=None, customer=person, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
        )

    assert (outcome.survey, outcome.skipped) == (None, SkipReason.NO_CONSENT)
    assert Survey.objects.count() == 0
    assert mail.outbox == []


def test_consent_withdrawn_before_sending_stops_the_email(
    customer: Customer, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = survey_request(
            actor=None,
            customer=customer,
            trigger=SurveyTrigger.RELATIONSHIP,
            at=DAYTIME,
        )
    consent(customer, granted=False, at=DAYTIME + dt.timedelta(minutes=5))

    for callback in callbacks:
        callback()

    assert outcome.survey is not None
    assert Survey.objects.get().status == SurveyStatus.FAILED
    assert mail.outbox == []


def test_no_email_address_no_survey(db: None) -> None:
    person = CustomerFactory.create()
    consent(person, granted=True)

    outcome = survey_request(
        actor=None, customer=person, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
    )

    assert outcome.skipped == SkipReason.NO_EMAIL


def test_open_case_blocks_other_surveys_but_not_its_own(customer: Customer) -> None:
    open_case = CaseFactory.create(customer=customer, status=CaseStatus.OPEN)

    blocked = survey_request(
        actor=None, customer=customer, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
    )
    own = survey_request(
        actor=None,
        customer=customer,
        trigger=SurveyTrigger.CASE_RESOLVED,
        case=open_case,
        at=DAYTIME,
    )

    assert blocked.skipped == SkipReason.CASE_OPEN
    assert own.skipped is None
    assert own.survey is not None
    assert own.survey.case_id == open_case.pk


def test_quiet_hours_defer_until_morning_then_the_scan_sends(
    customer: Customer, django_capture_on_commit_callbacks: OnCommit
) -> None:
    night = dt.datetime.combine(
        DAYTIME.astimezone(PARIS).date() - dt.timedelta(days=1),
        dt.time(22, 30),
        tzinfo=PARIS,
    )

    with django_capture_on_commit_callbacks(execute=True):
        outcome = survey_request(
            actor=None, customer=customer, trigger=SurveyTrigger.RELATIONSHIP, at=night
        )

    assert outcome.survey is not None
    survey = Survey.objects.get()
    assert survey.status == SurveyStatus.SCHEDULED
    assert survey.scheduled_for.astimezone(PARIS) == dt.datetime.combine(
        night.date() + dt.timedelta(days=1), dt.time(8, 0), tzinfo=PARIS
    )
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        summary = survey_scan(at=survey.scheduled_for + dt.timedelta(minutes=1))

    assert summary.due_sent == 1
    assert Survey.objects.get().status == SurveyStatus.SENT
    assert len(mail.outbox) == 1


def test_delivery_trigger_waits_the_configured_days(customer: Customer) -> None:
    # Surveyed 40 days ago: past the 30-day throttle, the relationship NPS not due.
    SurveyFactory.create(
        customer=customer, requested_at=DAYTIME - dt.timedelta(days=40)
    )
    order = OrderFactory.create(customer=customer)
    ShipmentFactory.create(order=order, delivered_at=DAYTIME - dt.timedelta(days=2))

    too_early = survey_scan(at=DAYTIME)
    due = survey_scan(at=DAYTIME + dt.timedelta(days=1, minutes=1))

    assert (too_early.requested, due.requested) == (0, 1)
    survey = Survey.objects.get(trigger=SurveyTrigger.DELIVERY)
    assert (survey.trigger, survey.kind, survey.order_id) == (
        SurveyTrigger.DELIVERY,
        SurveyKind.CHECK,
        order.pk,
    )


def test_email_has_one_signed_link_per_score_in_the_customer_language(
    db: None, django_capture_on_commit_callbacks: OnCommit
) -> None:
    person = CustomerFactory.create(name="John Smith", preferred_language="en")
    IdentityFactory.create(customer=person, value="john@example.com")
    consent(person, granted=True)

    with django_capture_on_commit_callbacks(execute=True):
        outcome = survey_request(
            actor=None, customer=person, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
        )

    assert outcome.survey is not None
    message = mail.outbox[0]
    assert message.subject == "Your opinion in one click"
    assert isinstance(message, EmailMultiAlternatives)
    html = str(message.alternatives[0][0])
    links = [line for line in message.body.splitlines() if "/s/" in line]
    assert [line.split(": ")[0] for line in links] == [str(n) for n in range(11)]
    assert all(f"?score={n}" in line for n, line in enumerate(links))
    assert html.count("?score=") == 11
    token = links[0].split("/s/")[1].split("/")[0]
    check = token_check(token, max_age=dt.timedelta(days=30))
    assert (check.state, check.public_key) == (
        TokenState.VALID,
        outcome.survey.public_key,
    )
    # The token names the survey's random public key, never its database id.
    assert token.split(":")[0] == outcome.survey.public_key != str(outcome.survey.pk)


@pytest.mark.parametrize(
    ("status", "resolved_hours_ago"),
    [(CaseStatus.RESOLVED, 23), (CaseStatus.OPEN, 25)],
    ids=["resolved-too-recently", "reopened-since"],
)
def test_the_case_survey_waits_a_day_and_skips_reopened_cases(
    customer: Customer, status: str, resolved_hours_ago: int
) -> None:
    CaseFactory.create(
        customer=customer,
        status=status,
        opened_at=DAYTIME - dt.timedelta(days=3),
        resolved_at=DAYTIME - dt.timedelta(hours=resolved_hours_ago),
    )

    survey_scan(at=DAYTIME)

    assert not Survey.objects.filter(trigger=SurveyTrigger.CASE_RESOLVED).exists()


def test_the_survey_keeps_the_customer_tier_of_its_day(customer: Customer) -> None:
    customer.tier = CustomerTier.GOLD
    customer.save(update_fields=["tier"])

    outcome = survey_request(
        actor=None, customer=customer, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
    )

    assert outcome.survey is not None
    assert outcome.survey.customer_tier == CustomerTier.GOLD


@pytest.fixture
def sms_outbox(db: None, settings: Settings) -> list[tuple[str, str, str]]:
    settings.AMIABLE_SMS_BACKEND = "amiable.conversations.sms.MemorySmsBackend"
    MemorySmsBackend.outbox.clear()
    return MemorySmsBackend.outbox


def _reachable_by_phone_only(language: str = "fr") -> Customer:
    person = CustomerFactory.create(
        name="Yannick Le Bihan", preferred_language=language
    )
    IdentityFactory.create(
        customer=person,
        kind=IdentityKind.PHONE,
        value="06 12 34 56 78",
        normalized="+33612345678",
    )
    consent(person, granted=True)
    return person


def test_a_customer_without_email_is_asked_by_sms_with_one_link(
    client: Client,
    sms_outbox: list[tuple[str, str, str]],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    person = _reachable_by_phone_only()

    with django_capture_on_commit_callbacks(execute=True):
        outcome = survey_request(
            actor=None, customer=person, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
        )

    assert outcome.survey is not None
    survey = Survey.objects.get()
    assert (survey.medium, survey.phone, survey.email, survey.status) == (
        SurveyMedium.SMS,
        "+33612345678",
        "",
        SurveyStatus.SENT,
    )
    [(to, body, sender)] = sms_outbox
    assert (to, sender) == ("+33612345678", "Amiable")
    assert body.startswith("Bonjour Yannick. Quelle est la probabilité")
    path = body.split("http://127.0.0.1:8000")[1]
    assert path == link(survey)
    assert mail.outbox == []
    page = client.get(path)
    assert page.status_code == 200
    assert not SurveyResponse.objects.exists()


def test_no_sms_when_the_settings_say_email_only(
    sms_outbox: list[tuple[str, str, str]],
) -> None:
    person = _reachable_by_phone_only()
    FeedbackSettings.objects.create(pk=1, is_sms_allowed=False)

    outcome = survey_request(
        actor=None, customer=person, trigger=SurveyTrigger.RELATIONSHIP, at=DAYTIME
    )

    assert (outcome.survey, outcome.skipped) == (None, SkipReason.NO_EMAIL)
    assert sms_outbox == []


def test_an_sms_survey_waits_for_the_end_of_quiet_hours(
    sms_outbox: list[tuple[str, str, str]],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    person = _reachable_by_phone_only()
    night = DAYTIME.replace(hour=22)  # 23:00 or midnight in Paris

    with django_capture_on_commit_callbacks(execute=True):
        survey_request(
            actor=None, customer=person, trigger=SurveyTrigger.RELATIONSHIP, at=night
        )

    survey = Survey.objects.get()
    assert survey.status == SurveyStatus.SCHEDULED
    assert survey.scheduled_for.astimezone(PARIS).hour == 8
    assert sms_outbox == []
