"""Hand-computed business-hours due times (domain-rules §5.5-§5.7)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from amiable.sla.business_hours import (
    MONDAY_TO_FRIDAY,
    MONDAY_TO_SATURDAY,
    Calendar,
    add_business_time,
    business_time_between,
    business_time_between_with_pauses,
    due_with_pauses,
    is_open,
    next_opening,
    weekly_hours,
)

PARIS = ZoneInfo("Europe/Paris")
REUNION = ZoneInfo("Indian/Reunion")
NINE_TO_SIX = weekly_hours(MONDAY_TO_FRIDAY, (time(9), time(18)))
LUNCH_BREAK = weekly_hours(
    MONDAY_TO_FRIDAY, (time(9), time(12, 30)), (time(13, 30), time(18))
)
ALL_DAY = weekly_hours(range(7), (time(0), time(0)))
NATIONAL = Calendar("Europe/Paris", NINE_TO_SIX)
HOURS = timedelta(hours=1)


def paris(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=PARIS)


def local(moment: datetime, zone: ZoneInfo = PARIS) -> str:
    """The wall-clock time and UTC offset of `moment` in `zone`, in ISO 8601."""
    return moment.astimezone(zone).isoformat()


def test_friday_evening_crosses_the_march_dst_change_over_the_weekend() -> None:
    due = add_business_time(NATIONAL, paris(2026, 3, 27, 17), 2 * HOURS)

    assert due == datetime(2026, 3, 30, 8, tzinfo=UTC)
    assert due.tzinfo == UTC
    assert local(due) == "2026-03-30T10:00:00+02:00"


@pytest.mark.parametrize(
    ("subdivision", "expected"),
    [
        (None, paris(2026, 4, 3, 15)),
        ("57", paris(2026, 4, 7, 15)),
        ("6AE", paris(2026, 4, 7, 15)),
    ],
)
def test_easter_2026_first_response_by_region(
    subdivision: str | None, expected: datetime
) -> None:
    calendar = Calendar("Europe/Paris", NINE_TO_SIX, subdivision)

    due = add_business_time(calendar, paris(2026, 4, 2, 16), 8 * HOURS)

    assert due == expected


@pytest.mark.parametrize(
    ("subdivision", "start", "expected"),
    [
        # 14 July 2026 is a Tuesday.
        (None, paris(2026, 7, 13, 17), paris(2026, 7, 15, 10)),
        # 15 August 2025 is a Friday.
        (None, paris(2025, 8, 14, 17), paris(2025, 8, 18, 10)),
        # 1 May 2026 is a Friday.
        (None, paris(2026, 4, 30, 17), paris(2026, 5, 4, 10)),
        # 25 December 2025 is a Thursday; 26 December is only closed in Alsace-Moselle.
        (None, paris(2025, 12, 24, 17), paris(2025, 12, 26, 10)),
        ("6AE", paris(2025, 12, 24, 17), paris(2025, 12, 29, 10)),
        ("57", paris(2025, 12, 24, 17), paris(2025, 12, 29, 10)),
    ],
)
def test_public_holidays_are_skipped(
    subdivision: str | None, start: datetime, expected: datetime
) -> None:
    calendar = Calendar("Europe/Paris", NINE_TO_SIX, subdivision)

    assert add_business_time(calendar, start, 2 * HOURS) == expected


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (paris(2026, 6, 2, 12), HOURS, paris(2026, 6, 2, 14)),
        (paris(2026, 6, 2, 12, 45), HOURS, paris(2026, 6, 2, 14, 30)),
        (paris(2026, 6, 2, 12), timedelta(minutes=30), paris(2026, 6, 2, 12, 30)),
        (paris(2026, 6, 2, 9), 8 * HOURS, paris(2026, 6, 2, 18)),
        (paris(2026, 6, 2, 9), 9 * HOURS, paris(2026, 6, 3, 10)),
    ],
)
def test_lunch_break_is_not_counted(
    start: datetime, duration: timedelta, expected: datetime
) -> None:
    calendar = Calendar("Europe/Paris", LUNCH_BREAK)

    assert add_business_time(calendar, start, duration) == expected


def test_lunch_break_business_time_between() -> None:
    calendar = Calendar("Europe/Paris", LUNCH_BREAK)

    elapsed = business_time_between(
        calendar, paris(2026, 6, 2, 12), paris(2026, 6, 3, 10)
    )

    assert elapsed == timedelta(hours=6)


def test_friday_evening_crosses_the_october_dst_change() -> None:
    due = add_business_time(NATIONAL, paris(2026, 10, 23, 17), 2 * HOURS)

    assert due == datetime(2026, 10, 26, 9, tzinfo=UTC)
    assert local(due) == "2026-10-26T10:00:00+01:00"


def test_a_round_the_clock_due_time_lands_in_the_repeated_hour() -> None:
    calendar = Calendar("Europe/Paris", ALL_DAY)

    due = add_business_time(calendar, paris(2026, 10, 24, 22), 5 * HOURS)

    assert due == datetime(2026, 10, 25, 1, tzinfo=UTC)
    assert local(due) == "2026-10-25T02:00:00+01:00"
    assert due.astimezone(PARIS).fold == 1


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 3, 29), timedelta(hours=23)),
        (date(2026, 10, 25), timedelta(hours=25)),
        (date(2026, 10, 26), timedelta(hours=24)),
    ],
)
def test_round_the_clock_day_length_follows_dst(day: date, expected: timedelta) -> None:
    calendar = Calendar("Europe/Paris", ALL_DAY)
    midnight = datetime.combine(day, time(0), tzinfo=PARIS)
    next_midnight = datetime.combine(day + timedelta(days=1), time(0), tzinfo=PARIS)

    assert business_time_between(calendar, midnight, next_midnight) == expected


@pytest.mark.parametrize(
    ("opening", "day", "expected"),
    [
        # 02:00-03:00 is repeated on 25 October and skipped on 29 March.
        ((time(0), time(4)), date(2026, 10, 25), timedelta(hours=5)),
        ((time(2, 30), time(4)), date(2026, 10, 25), timedelta(hours=2)),
        ((time(0), time(4)), date(2026, 3, 29), timedelta(hours=3)),
        ((time(2, 0), time(3)), date(2026, 3, 29), timedelta(0)),
        ((time(2, 30), time(4)), date(2026, 3, 29), timedelta(hours=1)),
    ],
)
def test_night_shift_around_dst_changes(
    opening: tuple[time, time], day: date, expected: timedelta
) -> None:
    calendar = Calendar("Europe/Paris", weekly_hours(range(7), opening))
    start = datetime.combine(day, time(0), tzinfo=PARIS)

    elapsed = business_time_between(calendar, start, start + timedelta(hours=12))

    assert elapsed == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 10, 25, 2, 15, fold=0, tzinfo=PARIS), False),
        (datetime(2026, 10, 25, 2, 15, fold=1, tzinfo=PARIS), False),
        (datetime(2026, 10, 25, 2, 45, fold=0, tzinfo=PARIS), True),
        (datetime(2026, 10, 25, 2, 45, fold=1, tzinfo=PARIS), True),
    ],
)
def test_ambiguous_local_times_are_open_in_both_folds(
    moment: datetime, expected: bool
) -> None:
    calendar = Calendar("Europe/Paris", weekly_hours(range(7), (time(2, 30), time(4))))

    assert is_open(calendar, moment) is expected


def test_a_nonexistent_start_is_read_with_the_offset_before_the_gap() -> None:
    # zoneinfo reads 02:30 on 29 March (fold 0) as 02:30+01:00, i.e. 03:30 CEST.
    calendar = Calendar("Europe/Paris", ALL_DAY)

    due = add_business_time(calendar, paris(2026, 3, 29, 2, 30), HOURS)

    assert local(due) == "2026-03-29T04:30:00+02:00"


@pytest.mark.parametrize(
    ("subdivision", "expected_utc"),
    [
        # The abolition of slavery is commemorated on 20 December (a Friday in 2024).
        ("974", datetime(2024, 12, 23, 6, tzinfo=UTC)),
        (None, datetime(2024, 12, 20, 6, tzinfo=UTC)),
    ],
)
def test_reunion_calendar(subdivision: str | None, expected_utc: datetime) -> None:
    calendar = Calendar("Indian/Reunion", NINE_TO_SIX, subdivision)

    due = add_business_time(
        calendar, datetime(2024, 12, 19, 17, tzinfo=REUNION), 2 * HOURS
    )

    assert due == expected_utc
    assert local(due, REUNION).endswith("T10:00:00+04:00")


@pytest.mark.parametrize(
    ("closed_dates", "expected"),
    [
        (frozenset(), paris(2026, 5, 15, 10)),
        # The bridge day after Ascension (Thursday 14 May 2026).
        (frozenset({date(2026, 5, 15)}), paris(2026, 5, 18, 10)),
    ],
)
def test_extra_closed_days(closed_dates: frozenset[date], expected: datetime) -> None:
    calendar = Calendar("Europe/Paris", NINE_TO_SIX, closed_dates=closed_dates)

    assert add_business_time(calendar, paris(2026, 5, 13, 17), 2 * HOURS) == expected


@pytest.mark.parametrize(
    ("open_holidays", "expected"),
    [
        (frozenset(), paris(2026, 5, 26, 10)),
        # Whit Monday worked as the solidarity day.
        (frozenset({date(2026, 5, 25)}), paris(2026, 5, 25, 10)),
    ],
)
def test_open_on_a_holiday(open_holidays: frozenset[date], expected: datetime) -> None:
    calendar = Calendar("Europe/Paris", NINE_TO_SIX, open_holidays=open_holidays)

    assert add_business_time(calendar, paris(2026, 5, 22, 17), 2 * HOURS) == expected


def test_open_holiday_on_a_day_without_weekly_hours_stays_closed() -> None:
    calendar = Calendar(
        "Europe/Paris", NINE_TO_SIX, open_holidays=frozenset({date(2026, 8, 15)})
    )

    assert is_open(calendar, paris(2026, 8, 15, 10)) is False


def test_saturday_hours() -> None:
    calendar = Calendar(
        "Europe/Paris",
        weekly_hours(MONDAY_TO_SATURDAY, (time(9), time(12))),
    )

    assert add_business_time(calendar, paris(2026, 6, 5, 11), 2 * HOURS) == paris(
        2026, 6, 6, 10
    )


def test_an_interval_ending_at_midnight() -> None:
    calendar = Calendar("Europe/Paris", weekly_hours([0], (time(20), time(0))))

    due = add_business_time(calendar, paris(2026, 6, 1, 20), 4 * HOURS)

    assert due == paris(2026, 6, 2, 0)
    assert is_open(calendar, paris(2026, 6, 1, 23, 59)) is True
    assert is_open(calendar, due) is False


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2026, 6, 1, 9), True),
        (paris(2026, 6, 1, 12, 29, 59), True),
        (paris(2026, 6, 1, 12, 30), False),
        (paris(2026, 6, 1, 13, 30), True),
        (paris(2026, 6, 1, 18), False),
        (paris(2026, 6, 1, 8, 59), False),
        (paris(2026, 6, 6, 10), False),
        (paris(2026, 5, 25, 10), False),
    ],
)
def test_is_open(moment: datetime, expected: bool) -> None:
    calendar = Calendar("Europe/Paris", LUNCH_BREAK)

    assert is_open(calendar, moment) is expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2026, 6, 1, 10), paris(2026, 6, 1, 10)),
        (paris(2026, 6, 1, 12, 45), paris(2026, 6, 1, 13, 30)),
        (paris(2026, 6, 1, 18), paris(2026, 6, 2, 9)),
        (paris(2026, 6, 6, 10), paris(2026, 6, 8, 9)),
        (paris(2026, 5, 22, 18), paris(2026, 5, 26, 9)),
    ],
)
def test_next_opening(moment: datetime, expected: datetime) -> None:
    calendar = Calendar("Europe/Paris", LUNCH_BREAK)

    assert next_opening(calendar, moment) == expected


def test_a_start_outside_opening_hours_begins_at_the_next_opening() -> None:
    due = add_business_time(NATIONAL, paris(2026, 6, 6, 3), HOURS)

    assert due == paris(2026, 6, 8, 10)


def test_a_zero_duration_is_due_at_once() -> None:
    saturday = paris(2026, 6, 6, 3)

    assert add_business_time(NATIONAL, saturday, timedelta(0)) == saturday


def test_a_due_time_at_closing_stays_at_closing() -> None:
    assert add_business_time(NATIONAL, paris(2026, 6, 1, 9), 9 * HOURS) == paris(
        2026, 6, 1, 18
    )


def test_pause_in_the_middle_of_the_day() -> None:
    start, end = paris(2026, 6, 1, 9), paris(2026, 6, 1, 18)
    pauses = [(paris(2026, 6, 1, 10), paris(2026, 6, 1, 12))]

    elapsed = business_time_between_with_pauses(NATIONAL, start, end, pauses)
    due = due_with_pauses(NATIONAL, start, 8 * HOURS, pauses)

    assert elapsed == 7 * HOURS
    assert due == paris(2026, 6, 2, 10)


def test_overlapping_pauses_count_once() -> None:
    pauses = [
        (paris(2026, 6, 1, 10), paris(2026, 6, 1, 12)),
        (paris(2026, 6, 1, 11), paris(2026, 6, 1, 13)),
        (paris(2026, 6, 1, 15), paris(2026, 6, 1, 15)),
    ]

    elapsed = business_time_between_with_pauses(
        NATIONAL, paris(2026, 6, 1, 9), paris(2026, 6, 1, 18), pauses
    )

    assert elapsed == 6 * HOURS


def test_a_pause_over_the_weekend_costs_nothing() -> None:
    pauses = [(paris(2026, 6, 5, 18), paris(2026, 6, 8, 9))]

    due = due_with_pauses(NATIONAL, paris(2026, 6, 5, 17), 2 * HOURS, pauses)

    assert due == paris(2026, 6, 8, 10)


def test_a_pause_spanning_days_moves_the_due_time() -> None:
    # Waiting on the customer from Monday 11:00 to Wednesday 14:00: Monday 2 h,
    # Wednesday 4 h, Thursday 2 h.
    pauses = [(paris(2026, 6, 1, 11), paris(2026, 6, 3, 14))]

    due = due_with_pauses(NATIONAL, paris(2026, 6, 1, 9), 8 * HOURS, pauses)

    assert due == paris(2026, 6, 4, 11)


def test_pauses_outside_the_period_are_ignored() -> None:
    pauses = [
        (paris(2026, 5, 1, 0), paris(2026, 6, 1, 9)),
        (paris(2026, 6, 1, 18), paris(2026, 7, 1, 0)),
    ]

    elapsed = business_time_between_with_pauses(
        NATIONAL, paris(2026, 6, 1, 9), paris(2026, 6, 1, 18), pauses
    )

    assert elapsed == 9 * HOURS


def test_a_calendar_closed_for_ten_years_stops_the_walk() -> None:
    monday = date(2026, 1, 5)
    calendar = Calendar(
        "Europe/Paris",
        weekly_hours([0], (time(9), time(10))),
        closed_dates=frozenset(monday + timedelta(weeks=week) for week in range(600)),
    )

    with pytest.raises(ValueError, match="does not open long enough within 3653 days"):
        add_business_time(calendar, paris(2026, 1, 1), HOURS)
    with pytest.raises(ValueError, match="does not open within 3653 days"):
        next_opening(calendar, paris(2026, 1, 1))
