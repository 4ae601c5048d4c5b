"""Checked by: the suggested due date for a type equals the 90th percentile of its
history (nearest rank), seen through the API and on the case page; promising
sooner asks for confirmation."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.promises.models import Promise, PromiseKind, PromiseState
from amiable.promises.services.ledger import is_sooner
from amiable.promises.suggestions import (
    MIN_HISTORY,
    nearest_rank_percentile,
    promise_suggest,
)
from tests.factories.promises import PromiseFactory

HOURS = [5, 1, 9, 3, 7, 2, 10, 4, 8, 6]  # kept within 1 to 10 hours


def history(kind: str, hours: list[int], **extra: object) -> None:
    base = timezone.now() - dt.timedelta(days=30)
    for index, spent in enumerate(hours):
        made = base + dt.timedelta(days=index)
        PromiseFactory.create(
            kind=kind,
            made_at=made,
            due_at=made + dt.timedelta(hours=4),
            state=PromiseState.KEPT if spent <= 4 else PromiseState.BROKEN,
            fulfilled_at=made + dt.timedelta(hours=spent),
            **extra,
        )


@pytest.mark.parametrize(
    ("values", "expected"),
    [([1], 1), ([1, 2], 2), (list(range(1, 11)), 9), (list(range(1, 101)), 90)],
)
def test_nearest_rank_percentile(values: list[int], expected: int) -> None:
    durations = [dt.timedelta(hours=value) for value in values]

    assert nearest_rank_percentile(durations) == dt.timedelta(hours=expected)


def test_no_values_has_no_percentile() -> None:
    with pytest.raises(ValueError, match="no values"):
        nearest_rank_percentile([])


@pytest.mark.django_db
def test_the_api_suggests_the_90th_percentile_of_the_type(
    api_client: Client, agent: User
) -> None:
    history(PromiseKind.CALLBACK, HOURS)
    history(PromiseKind.REFUND, [100] * MIN_HISTORY)  # another type: ignored
    before = timezone.now()

    response = api_client.get("/api/v1/promises/suggestion", {"kind": "callback"})

    body = response.json()
    assert response.status_code == 200
    assert (body["sample_size"], body["is_from_history"], body["duration_hours"]) == (
        10,
        True,
        9.0,
    )
    due = dt.datetime.fromisoformat(body["due_at"])
    assert (
        before + dt.timedelta(hours=9) <= due <= timezone.now() + dt.timedelta(hours=9)
    )
    assert body["agent_kept_rate"] == {"kept": 0, "broken": 0, "rate": None}


@pytest.mark.django_db
def test_a_carrier_with_enough_history_is_used_before_the_type(db: None) -> None:
    history(PromiseKind.DELIVERY, [24 * d for d in (1, 2, 2, 3, 3)], carrier="Chrono")
    history(PromiseKind.DELIVERY, [24 * d for d in (5, 6, 7, 8, 9)], carrier="Lent")

    fast = promise_suggest(kind=PromiseKind.DELIVERY, carrier="Chrono")
    unknown = promise_suggest(kind=PromiseKind.DELIVERY, carrier="Inconnu")

    assert (fast.carrier, fast.sample_size, fast.duration) == (
        "Chrono",
        5,
        dt.timedelta(days=3),
    )
    assert (unknown.carrier, unknown.sample_size, unknown.duration) == (
        "",
        10,
        dt.timedelta(days=8),
    )


@pytest.mark.django_db
def test_without_enough_history_the_type_default_is_suggested(db: None) -> None:
    history(PromiseKind.REFUND, [1] * (MIN_HISTORY - 1))

    suggestion = promise_suggest(kind=PromiseKind.REFUND)

    assert (suggestion.is_from_history, suggestion.duration) == (
        False,
        dt.timedelta(days=14),
    )


@pytest.mark.django_db
def test_promising_sooner_than_history_asks_for_confirmation(
    api_client: Client, case: Case
) -> None:
    history(PromiseKind.CALLBACK, HOURS)
    payload = {
        "case_id": case.pk,
        "kind": "callback",
        "description": "Je vous rappelle dans l’heure.",
        "due_at": (timezone.now() + dt.timedelta(hours=1)).isoformat(),
    }

    refused = api_client.post(
        "/api/v1/promises", payload, content_type="application/json"
    )
    confirmed = api_client.post(
        "/api/v1/promises",
        {**payload, "is_sooner_confirmed": True},
        content_type="application/json",
    )

    assert refused.status_code == 422
    assert refused.json()["code"] == "confirmation_required"
    assert set(refused.json()["fields"]) == {"due_at", "suggested_due_at"}
    assert confirmed.status_code == 201
    assert (
        Promise.objects.get(case=case).description == "Je vous rappelle dans l’heure."
    )


@pytest.mark.django_db
def test_the_case_page_shows_the_suggestion_and_the_agents_kept_rate(
    web_client: Client, case: Case, agent: User
) -> None:
    history(PromiseKind.CALLBACK, HOURS)
    history(PromiseKind.INFORMATION, [1, 1, 30], made_by=agent)  # 2 kept, 1 broken

    page = web_client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert "90 % des 10 promesses passées de ce type" in page
    assert "Votre taux de promesses tenues : 67 % (2 sur 3)." in page


@pytest.mark.django_db
def test_suggestions_of_a_day_or_more_compare_by_local_date(db: None) -> None:
    at = dt.datetime(2026, 10, 24, 21, 0, tzinfo=dt.UTC)  # 23:00 in Paris
    suggestion = promise_suggest(kind=PromiseKind.CALLBACK, at=at)  # a day: 25th
    paris = zoneinfo.ZoneInfo("Europe/Paris")

    # The 25th early in the morning is before the suggested 23:00, same day.
    assert not is_sooner(dt.datetime(2026, 10, 25, 8, 0, tzinfo=paris), suggestion)
    assert is_sooner(dt.datetime(2026, 10, 24, 23, 30, tzinfo=paris), suggestion)


@pytest.mark.django_db
def test_suggestions_under_a_day_compare_to_the_minute(db: None) -> None:
    history(PromiseKind.CALLBACK, HOURS)  # 90 % within 9 hours
    suggestion = promise_suggest(kind=PromiseKind.CALLBACK)

    assert suggestion.duration == dt.timedelta(hours=9)
    assert is_sooner(suggestion.due_at - dt.timedelta(minutes=1), suggestion)
    assert not is_sooner(suggestion.due_at, suggestion)
