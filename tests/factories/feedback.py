"""Factories of the feedback app."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from amiable.feedback.models import (
    Survey,
    SurveyKind,
    SurveyResponse,
    SurveyStatus,
    SurveyTrigger,
)
from tests.factories import CustomerFactory


class SurveyFactory(DjangoModelFactory[Survey]):
    class Meta:
        model = Survey

    public_key = factory.Sequence(lambda n: f"test-survey-key-{n:08d}")
    customer = factory.SubFactory(CustomerFactory)
    kind = SurveyKind.NPS
    trigger = SurveyTrigger.RELATIONSHIP
    status = SurveyStatus.SENT
    email = factory.Sequence(lambda n: f"sondage{n}@exemple.fr")
    requested_at = factory.LazyFunction(timezone.now)
    scheduled_for = factory.LazyAttribute(lambda survey: survey.requested_at)
    sent_at = factory.LazyAttribute(lambda survey: survey.requested_at)


class SurveyResponseFactory(DjangoModelFactory[SurveyResponse]):
    class Meta:
        model = SurveyResponse

    survey = factory.SubFactory(SurveyFactory)
    score = 9
    comment = ""
