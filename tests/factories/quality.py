"""Factories of the quality app (and the root-cause taxonomy it counts on)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from amiable.cases.models import RootCause
from amiable.quality.models import Incident, ResolutionConfirmation


class RootCauseFactory(DjangoModelFactory[RootCause]):
    class Meta:
        model = RootCause
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"cause-{n}")
    name_fr = factory.Sequence(lambda n: f"Cause n° {n}")
    name_en = factory.Sequence(lambda n: f"Cause #{n}")


class ConfirmationFactory(DjangoModelFactory[ResolutionConfirmation]):
    class Meta:
        model = ResolutionConfirmation

    public_key = factory.Sequence(lambda n: f"test-confirmation-key-{n:06d}")
    customer = factory.LazyAttribute(lambda confirmation: confirmation.case.customer)
    resolved_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))


class IncidentFactory(DjangoModelFactory[Incident]):
    class Meta:
        model = Incident

    title = factory.Sequence(lambda n: f"Panne n° {n}")
    started_at = factory.LazyFunction(timezone.now)
