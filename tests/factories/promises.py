"""Factories of the promises app."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from amiable.promises.models import (
    Promise,
    PromiseKind,
    PromiseSource,
    PromiseState,
    WarningPolicy,
)
from tests.factories import CustomerFactory


class PromiseFactory(DjangoModelFactory[Promise]):
    class Meta:
        model = Promise

    customer = factory.SubFactory(CustomerFactory)
    kind = PromiseKind.CALLBACK
    description = "Je vous rappelle demain avant midi."
    source = PromiseSource.AGENT
    made_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    due_at = factory.LazyAttribute(lambda p: p.made_at + dt.timedelta(days=2))
    original_due_at = factory.LazyAttribute(lambda p: p.due_at)
    state = PromiseState.OPEN
    state_changed_at = factory.LazyAttribute(lambda p: p.made_at)


class WarningPolicyFactory(DjangoModelFactory[WarningPolicy]):
    class Meta:
        model = WarningPolicy
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Politique {n}")
    kind = PromiseKind.DELIVERY
    lead_hours = 48
    silence_days = 3
    channel = "email"
    extension_days = 3
