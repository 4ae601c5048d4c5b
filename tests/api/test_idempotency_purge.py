"""Expired Idempotency-Key records are purged: by command, and hourly by the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from amiable.accounts.models import User
from amiable.api.idempotency import PURGE_CACHE_KEY
from amiable.api.models import IdempotencyRecord
from amiable.cases.models import Case
from tests.factories.api import IdempotencyRecordFactory

OLD = dt.timedelta(days=30)
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


@pytest.fixture(autouse=True)
def _purge_not_yet_done() -> Iterator[None]:
    """A private cache, so tests running beside these (or a Redis) do not interfere."""
    private = {"default": {"BACKEND": LOCMEM, "LOCATION": "idempotency-purge-tests"}}
    with override_settings(CACHES=private):
        cache.delete(PURGE_CACHE_KEY)
        yield


def test_the_command_deletes_only_expired_records(agent: User) -> None:
    IdempotencyRecordFactory.create(user=agent, created_at=timezone.now() - OLD)
    fresh = IdempotencyRecordFactory.create(user=agent)
    out = StringIO()

    call_command("purge_idempotency_keys", stdout=out)

    assert out.getvalue() == "Expired idempotency keys deleted: 1\n"
    assert list(IdempotencyRecord.objects.all()) == [fresh]


def test_the_api_purges_on_the_first_keyed_post_then_not_for_an_hour(
    api_client: Client, agent: User, team_case: Case
) -> None:
    first_old = IdempotencyRecordFactory.create(
        user=agent, created_at=timezone.now() - OLD
    )

    api_client.post(
        f"/api/v1/cases/{team_case.pk}/notes",
        data={"body_text": "un"},
        content_type="application/json",
        headers={"Idempotency-Key": "note-1"},
    )
    assert not IdempotencyRecord.objects.filter(pk=first_old.pk).exists()

    second_old = IdempotencyRecordFactory.create(
        user=agent, created_at=timezone.now() - OLD
    )
    api_client.post(
        f"/api/v1/cases/{team_case.pk}/notes",
        data={"body_text": "deux"},
        content_type="application/json",
        headers={"Idempotency-Key": "note-2"},
    )
    assert IdempotencyRecord.objects.filter(pk=second_old.pk).exists()
    assert sorted(IdempotencyRecord.objects.values_list("key", flat=True)) == sorted(
        ["note-1", "note-2", second_old.key]
    )
