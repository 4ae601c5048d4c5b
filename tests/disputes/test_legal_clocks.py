"""The legal-clock engine on hand-computed dates: calendar days and months, the
last day of a short month, the customer's extension past weekends and holidays
(Alsace-Moselle included), local dates across time zones and DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amiable.disputes.legal_clocks import (
    Extension,
    Period,
    is_working_day,
    legal_end,
    on_day,
)

PARIS = ZoneInfo("Europe/Paris")
ZONE = "Europe/Paris"
CONSUMER = Extension.NEXT_WORKING_DAY


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("trigger", "period", "extension", "subdivision", "last_day"),
    [
        # One year, ending Sunday 27 December 2026 -> Monday 28 (the customer's).
        (
            paris(2025, 12, 27, 10),
            Period(years=1),
            CONSUMER,
            None,
            dt.date(2026, 12, 28),
        ),
        # 29 February + 1 year has no such date: the last day of February.
        (paris(2024, 2, 29, 10), Period(years=1), CONSUMER, None, dt.date(2025, 2, 28)),
        # 31 December + 2 months = 28 February 2027, a Sunday, never extended for us.
        (
            paris(2026, 12, 31, 10),
            Period(months=2),
            Extension.NONE,
            None,
            dt.date(2027, 2, 28),
        ),
        # 31 January + 1 month = 28 February in a common year.
        (
            paris(2026, 1, 31, 10),
            Period(months=1),
            Extension.NONE,
            None,
            dt.date(2026, 2, 28),
        ),
        # Ends on Wednesday 14 July 2027 (Fête nationale) -> Thursday 15.
        (paris(2026, 7, 14, 10), Period(years=1), CONSUMER, None, dt.date(2027, 7, 15)),
        # Good Friday 26 March 2027 is worked in most of France...
        (paris(2026, 3, 26, 10), Period(years=1), CONSUMER, None, dt.date(2027, 3, 26)),
        # ...not in Moselle: Friday, weekend, Easter Monday -> Tuesday 30 March.
        (paris(2026, 3, 26, 10), Period(years=1), CONSUMER, "57", dt.date(2027, 3, 30)),
        # The day of the event is not counted: 21 days from 1 April is 22 April.
        (
            paris(2026, 4, 1, 0, 30),
            Period(days=21),
            Extension.NONE,
            None,
            dt.date(2026, 4, 22),
        ),
        # "Now" (0 days): the end of the same day.
        (
            paris(2026, 5, 4, 9),
            Period(days=0),
            Extension.NONE,
            None,
            dt.date(2026, 5, 4),
        ),
    ],
)
def test_last_day_of_a_period(
    trigger: dt.datetime,
    period: Period,
    extension: Extension,
    subdivision: str | None,
    last_day: dt.date,
) -> None:
    end = legal_end(
        trigger, period, zone=ZONE, extension=extension, subdivision=subdivision
    )

    assert end.last_day == last_day
    assert end.due_at == dt.datetime.combine(last_day, dt.time(23, 59, 59), PARIS)


def test_the_local_date_decides_not_utc() -> None:
    # 22:30 UTC on 31 March is already 00:30 on 1 April in Paris (summer time).
    complaint = dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)

    end = legal_end(complaint, Period(days=21), zone=ZONE)

    assert end.last_day == dt.date(2026, 4, 22)


def test_an_end_after_the_dst_change_is_in_summer_time() -> None:
    # File complete the day before the clocks go forward (29 March 2026).
    end = legal_end(paris(2026, 3, 28, 12), Period(days=90), zone=ZONE)

    assert end.last_day == dt.date(2026, 6, 26)
    assert end.due_at.astimezone(dt.UTC) == dt.datetime(
        2026, 6, 26, 21, 59, 59, tzinfo=dt.UTC
    )


def test_another_legal_zone_counts_its_own_dates() -> None:
    # 21:00 on 31 January in Paris is already 1 February on Réunion (UTC+4).
    complaint = paris(2026, 1, 31, 21)

    end = legal_end(complaint, Period(months=1), zone="Indian/Reunion")

    assert end.last_day == dt.date(2026, 3, 1)
    assert end.due_at.tzinfo == ZoneInfo("Indian/Reunion")


def test_a_naive_trigger_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        legal_end(dt.datetime(2026, 1, 1, 10), Period(days=1), zone=ZONE)  # noqa: DTZ001


def test_a_negative_period_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        Period(days=-1)


def test_a_date_the_mediator_sets_is_kept_for_the_parties() -> None:
    end = on_day(dt.date(2026, 8, 15), zone=ZONE)  # a Saturday and a holiday

    assert (end.last_day, end.was_extended) == (dt.date(2026, 8, 15), False)


@given(
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
    subdivision=st.sampled_from([None, "57"]),
)
def test_a_customer_period_ends_on_a_working_day_soon_after(
    start: dt.date, days: int, subdivision: str | None
) -> None:
    trigger = dt.datetime.combine(start, dt.time(12), PARIS)

    plain = legal_end(trigger, Period(days=days), zone=ZONE)
    extended = legal_end(
        trigger,
        Period(days=days),
        zone=ZONE,
        extension=CONSUMER,
        subdivision=subdivision,
    )

    assert plain.last_day == start + dt.timedelta(days=days)
    assert is_working_day(extended.last_day, subdivision=subdivision)
    # A weekend plus the longest run of holidays next to it is under a week.
    assert 0 <= (extended.last_day - plain.last_day).days <= 4
    assert extended.was_extended == (extended.last_day != plain.last_day)


@given(
    start=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
    months=st.integers(min_value=0, max_value=36),
)
def test_a_period_in_months_ends_on_the_same_date_or_the_month_end(
    start: dt.date, months: int
) -> None:
    trigger = dt.datetime.combine(start, dt.time(12), PARIS)

    last = legal_end(trigger, Period(months=months), zone=ZONE).last_day

    month_index = start.month - 1 + months
    assert (last.year, last.month) == (
        start.year + month_index // 12,
        month_index % 12 + 1,
    )
    assert last.day == start.day or (
        last.day < start.day and (last + dt.timedelta(days=1)).day == 1
    )
