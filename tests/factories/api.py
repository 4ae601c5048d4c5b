"""Factories of the api app."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from amiable.api.models import IdempotencyRecord
from tests.factories import UserFactory


class IdempotencyRecordFactory(DjangoModelFactory[IdempotencyRecord]):
    class Meta:
        model = IdempotencyRecord

    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"key-{n:08d}")
    method = "POST"
    path = "/api/v1/cases"
    request_hash = "0" * 64
    response_status = 201
    response_body = "{}"
    created_at = factory.LazyFunction(timezone.now)
