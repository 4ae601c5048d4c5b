"""Properties the case SLA clocks rely on, across weekends, French holidays (national
and Alsace-Moselle), DST changes and pauses: pausing then resuming is the same as
carrying the remaining time over; the at-risk time is the share of the target; a
stored calendar definition reads back as the same calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from amiable.sla.business_hours import (
    MONDAY_TO_FRIDAY,
    Calendar,
    OpeningInterval,
    add_business_time,
    business_time_between,
    business_time_between_with_pauses,
    due_with_pauses,
    weekly_hours,
)
from amiable.sla.definitions import (
    CalendarExceptionDay,
    calendar_from_definition,
    definition_of,
    format_opening_hours,
    parse_opening_hours,
)

FAST = settings(max_examples=60, deadline=None)
PARIS = ZoneInfo("Europe/Paris")
NINE_TO_SIX = weekly_hours(MONDAY_TO_FRIDAY, (time(9), time(18)))
LUNCH = weekly_hours(
    MONDAY_TO_FRIDAY, (time(9), time(12, 30)), (time(13, 30), time(18))
)
NATIONAL = Calendar("Europe/Paris", NINE_TO_SIX)
MOSELLE = Calendar("Europe/Paris", NINE_TO_SIX, "57")
CALENDARS = [
    NATIONAL,
    MOSELLE,
    Calendar("Europe/Paris", LUNCH, "6AE", closed_dates=frozenset({date(2026, 5, 15)})),
    Calendar(
        "Indian/Reunion",
        weekly_hours(range(6), (time(8), time(12)), (time(14), time(17))),
        "974",
    ),
]

calendars = st.sampled_from(CALENDARS)
# Around the 2026 DST changes, Easter, May's holidays and Christmas.
moments = st.sampled_from(
    [
        datetime(2026, 3, 20, tzinfo=PARIS),
        datetime(2026, 3, 30, tzinfo=PARIS),
        datetime(2026, 4, 1, tzinfo=PARIS),
        datetime(2026, 5, 1, tzinfo=PARIS),
        datetime(2026, 10, 20, tzinfo=PARIS),
        datetime(2026, 12, 22, tzinfo=PARIS),
    ]
).flatmap(
    lambda base: st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=9)).map(
        lambda offset: (base + offset).astimezone(UTC)
    )
)
targets = st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(hours=60))
gaps = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=6))
shares = st.integers(min_value=1, max_value=99)


@FAST
@given(calendar=calendars, start=moments, target=targets, offset=gaps, length=gaps)
def test_a_pause_carries_the_remaining_time_over(
    calendar: Calendar,
    start: datetime,
    target: timedelta,
    offset: timedelta,
    length: timedelta,
) -> None:
    """Pausing at p for a while then resuming at r: the due time is r plus what was
    left at p."""
    paused_at = start + offset
    resumed_at = paused_at + length
    used = business_time_between(calendar, start, paused_at)
    assume(used < target)

    due = due_with_pauses(calendar, start, target, [(paused_at, resumed_at)])

    assert due == add_business_time(calendar, resumed_at, target - used)


@FAST
@given(calendar=calendars, start=moments, target=targets, length=gaps)
def test_a_pause_after_the_due_time_changes_nothing(
    calendar: Calendar, start: datetime, target: timedelta, length: timedelta
) -> None:
    due = add_business_time(calendar, start, target)

    assert due_with_pauses(calendar, start, target, [(due, due + length)]) == due


@FAST
@given(calendar=calendars, start=moments, target=targets, share=shares, offset=gaps)
def test_at_risk_comes_at_the_share_of_the_target_and_before_the_due_time(
    calendar: Calendar,
    start: datetime,
    target: timedelta,
    share: int,
    offset: timedelta,
) -> None:
    pauses = [(start + offset, start + offset + timedelta(hours=20))]
    fraction = timedelta(seconds=target.total_seconds() * share // 100)
    risk = due_with_pauses(calendar, start, fraction, pauses)
    due = due_with_pauses(calendar, start, target, pauses)

    assert risk <= due
    assert business_time_between_with_pauses(calendar, start, risk, pauses) == fraction
    assert business_time_between_with_pauses(calendar, start, due, pauses) == target


@FAST
@given(start=moments, target=targets)
def test_alsace_moselle_is_never_due_earlier_than_the_national_calendar(
    start: datetime, target: timedelta
) -> None:
    """Moselle has the national holidays and two more: its due time is the same or
    later, never earlier."""
    assert add_business_time(MOSELLE, start, target) >= add_business_time(
        NATIONAL, start, target
    )


@FAST
@given(start=moments, target=targets)
def test_a_due_time_is_a_utc_instant_of_an_open_local_hour(
    start: datetime, target: timedelta
) -> None:
    due = add_business_time(NATIONAL, start, target).astimezone(PARIS)

    assert due.tzinfo == PARIS
    assert due.weekday() < 5
    assert time(9) < due.time() <= time(18)


weekdays = st.sets(st.integers(min_value=0, max_value=6), min_size=1)
hours = st.integers(min_value=0, max_value=22).flatmap(
    lambda start: st.integers(min_value=start + 1, max_value=24).map(
        lambda end: (time(start), time(0) if end == 24 else time(end))
    )
)


@FAST
@given(days=weekdays, span=hours)
def test_opening_hours_text_reads_back_the_same(
    days: set[int], span: tuple[time, time]
) -> None:
    intervals = tuple(sorted(OpeningInterval(day, *span) for day in days))

    assert parse_opening_hours(format_opening_hours(intervals)) == intervals


@FAST
@given(
    calendar=calendars,
    closed=st.sets(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=4),
)
def test_a_stored_definition_reads_back_as_the_same_calendar(
    calendar: Calendar, closed: set[date]
) -> None:
    exceptions = [CalendarExceptionDay(day, False) for day in sorted(closed)]

    definition = definition_of(
        time_zone=calendar.time_zone,
        holiday_subdivision=calendar.holiday_subdivision,
        opening_hours=calendar.opening_hours,
        exceptions=exceptions,
    )

    assert calendar_from_definition(definition) == Calendar(
        calendar.time_zone,
        calendar.opening_hours,
        calendar.holiday_subdivision,
        closed_dates=frozenset(closed),
    )
