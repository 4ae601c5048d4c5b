"""Due times at the end of the customer's local day, across DST."""

from __future__ import annotations

import datetime as dt

import pytest

from amiable.promises.dates import delivery_due, end_of_day


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 1, 15), dt.datetime(2026, 1, 15, 22, 59, 59, tzinfo=dt.UTC)),
        (dt.date(2026, 7, 15), dt.datetime(2026, 7, 15, 21, 59, 59, tzinfo=dt.UTC)),
        # The night clocks go forward (29 March 2026) and back (25 October 2026).
        (dt.date(2026, 3, 29), dt.datetime(2026, 3, 29, 21, 59, 59, tzinfo=dt.UTC)),
        (dt.date(2026, 10, 25), dt.datetime(2026, 10, 25, 22, 59, 59, tzinfo=dt.UTC)),
    ],
)
def test_a_date_is_due_at_the_end_of_the_paris_day(
    day: dt.date, expected: dt.datetime
) -> None:
    assert end_of_day(day) == expected


def test_an_order_without_a_date_is_due_thirty_local_days_later() -> None:
    # 23:30 UTC on 31 January is already 1 February in Paris: day 0 is 1 February.
    placed = dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.UTC)

    due, rule = delivery_due(placed_at=placed, promised_date=None)

    assert rule == "FR.DELIVERY.DEFAULT_30D"
    assert due == dt.datetime(2026, 3, 3, 22, 59, 59, tzinfo=dt.UTC)


def test_an_announced_date_is_the_promise() -> None:
    placed = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)

    due, rule = delivery_due(placed_at=placed, promised_date=dt.date(2026, 5, 9))

    assert rule == "FR.DELIVERY.PROMISED_DATE"
    assert due == dt.datetime(2026, 5, 9, 21, 59, 59, tzinfo=dt.UTC)
