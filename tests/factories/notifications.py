"""Factories of the notifications app."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from amiable.notifications.models import Notification
from tests.factories import UserFactory


class NotificationFactory(DjangoModelFactory[Notification]):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "sla.at_risk"
    title = factory.Sequence(lambda n: f"Dossier C-2026-{n:06d} bientôt en retard")
    created_at = factory.LazyFunction(timezone.now)
