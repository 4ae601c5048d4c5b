"""Keyset pagination: every row exactly once, forwards and backwards, with ties."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amiable.cases.models import Case
from amiable.core.errors import ValidationError
from amiable.core.pagination import Page, decode_cursor, encode_cursor, paginate
from tests.factories import CaseFactory, CustomerFactory

BASE = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.UTC)
ORDERINGS = [
    ("-last_activity_at", "-id"),
    ("last_activity_at", "id"),
    ("priority", "-last_activity_at", "id"),
]


def _walk_forward(
    queryset: Any, ordering: tuple[str, ...], limit: int
) -> list[Page[Case]]:
    pages = [paginate(queryset, ordering=ordering, limit=limit)]
    while pages[-1].next_cursor:
        pages.append(
            paginate(
                queryset, ordering=ordering, limit=limit, cursor=pages[-1].next_cursor
            )
        )
    return pages


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    offsets=st.lists(st.integers(min_value=0, max_value=3), min_size=0, max_size=11),
    priorities=st.lists(st.sampled_from(["low", "high"]), min_size=11, max_size=11),
    limit=st.integers(min_value=1, max_value=5),
    ordering=st.sampled_from(ORDERINGS),
)
def test_pages_cover_every_row_once_in_both_directions(
    offsets: list[int], priorities: list[str], limit: int, ordering: tuple[str, ...]
) -> None:
    with transaction.atomic():
        customer = CustomerFactory.create()
        for offset, priority in zip(offsets, priorities, strict=False):
            # Few distinct timestamps, so many rows tie on the sort key.
            CaseFactory.create(
                customer=customer,
                priority=priority,
                last_activity_at=BASE + dt.timedelta(seconds=offset),
            )
        queryset = Case.objects.filter(customer=customer)
        expected = list(queryset.order_by(*ordering).values_list("pk", flat=True))

        pages = _walk_forward(queryset, ordering, limit)
        forward = [case.pk for page in pages for case in page.items]
        assert forward == expected
        assert all(len(page.items) == limit for page in pages[:-1])
        assert pages[0].previous_cursor is None
        assert pages[-1].has_more is False

        # Walk back from the last page with the previous cursors.
        backward = [[case.pk for case in pages[-1].items]]
        page = pages[-1]
        while page.previous_cursor:
            page = paginate(
                queryset, ordering=ordering, limit=limit, cursor=page.previous_cursor
            )
            assert page.has_more is True
            backward.insert(0, [case.pk for case in page.items])
        assert [pk for chunk in backward for pk in chunk] == expected
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_going_back_then_forward_returns_the_same_page() -> None:
    customer = CustomerFactory.create()
    CaseFactory.create_batch(7, customer=customer, last_activity_at=BASE)
    queryset = Case.objects.filter(customer=customer)
    ordering = ("-last_activity_at", "-id")
    first = paginate(queryset, ordering=ordering, limit=3)
    second = paginate(queryset, ordering=ordering, limit=3, cursor=first.next_cursor)

    back = paginate(queryset, ordering=ordering, limit=3, cursor=second.previous_cursor)
    again = paginate(queryset, ordering=ordering, limit=3, cursor=back.next_cursor)

    assert [case.pk for case in back.items] == [case.pk for case in first.items]
    assert back.previous_cursor is None
    assert [case.pk for case in again.items] == [case.pk for case in second.items]


@pytest.mark.django_db
def test_an_empty_queryset_gives_one_empty_page() -> None:
    page = paginate(Case.objects.none(), ordering=("-id",), limit=10)

    assert page == Page(
        items=[], next_cursor=None, previous_cursor=None, has_more=False
    )


def _raw_cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor!",
        "%%%",
        _raw_cursor([1, 2]),
        _raw_cursor({"v": 5}),
        _raw_cursor({"x": [1, 2]}),
        _raw_cursor({"v": [1]}),
        _raw_cursor({"v": [{"t": "dt", "v": "yesterday"}, 1]}),
        _raw_cursor({"v": [{"t": "zz", "v": "1"}, 1]}),
        _raw_cursor({"v": ["not a date", 1]}),
        _raw_cursor({"v": [True, "abc"]}),
        _raw_cursor({"v": [{"t": "dec", "v": "NaN?"}, 1]}),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
    ],
)
def test_a_tampered_cursor_is_a_validation_error(cursor: str) -> None:
    CaseFactory.create()

    with pytest.raises(ValidationError) as caught:
        paginate(
            Case.objects.all(),
            ordering=("-last_activity_at", "-id"),
            limit=5,
            cursor=cursor,
        )

    assert list(caught.value.fields) == ["cursor"]


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [0, -1])
def test_a_limit_below_one_is_a_validation_error(limit: int) -> None:
    with pytest.raises(ValidationError) as caught:
        paginate(Case.objects.all(), ordering=("-id",), limit=limit)
    assert list(caught.value.fields) == ["limit"]


@pytest.mark.parametrize(
    "values",
    [
        [BASE, 3],
        [dt.date(2025, 1, 2), "texte é", None],
        [__import__("decimal").Decimal("19.99"), 7],
    ],
)
def test_cursors_round_trip_their_values(values: list[Any]) -> None:
    cursor = encode_cursor(values, backwards=True)

    assert decode_cursor(cursor, width=len(values)) == (values, True)
    assert "=" not in cursor
