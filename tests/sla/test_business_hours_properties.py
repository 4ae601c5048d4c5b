"""Properties of the business-hours clock across weekends, holidays, DST and pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from amiable.sla.business_hours import (
    MONDAY_TO_FRIDAY,
    MONDAY_TO_SATURDAY,
    Calendar,
    Pause,
    add_business_time,
    business_time_between,
    business_time_between_with_pauses,
    due_with_pauses,
    is_open,
    next_opening,
    weekly_hours,
)

FAST = settings(max_examples=60, deadline=None)
TICK = timedelta(microseconds=1)
QUARTER = timedelta(minutes=15)

CALENDARS = [
    Calendar("Europe/Paris", weekly_hours(MONDAY_TO_FRIDAY, (time(9), time(18)))),
    Calendar(
        "Europe/Paris",
        weekly_hours(
            MONDAY_TO_FRIDAY, (time(9), time(12, 30)), (time(13, 30), time(18))
        ),
        "6AE",
        closed_dates=frozenset({date(2026, 5, 15), date(2025, 12, 24)}),
        open_holidays=frozenset({date(2026, 5, 25), date(2025, 6, 9)}),
    ),
    # A night shift that straddles both DST changes.
    Calendar(
        "Europe/Paris",
        weekly_hours(range(7), (time(0), time(4)), (time(22), time(0))),
        "57",
    ),
    Calendar(
        "Indian/Reunion",
        weekly_hours(MONDAY_TO_SATURDAY, (time(8), time(12)), (time(14), time(17))),
        "974",
    ),
    # Saint-Pierre-et-Miquelon follows North American DST dates.
    Calendar("America/Miquelon", weekly_hours(range(7), (time(0), time(0))), "PM"),
]

calendars = st.sampled_from(CALENDARS)
# Drawn as local times (ambiguous and skipped ones included: hypothesis varies
# ``fold`` around DST changes), then taken as the UTC instants they name. Adding a
# timedelta to a local time is wall-clock arithmetic and drops ``fold``: 02:00
# (fold=1) + 0 on the night Paris leaves CEST would be an hour *earlier*.
moments = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - bounds are naive by contract
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.sampled_from(
        [UTC, ZoneInfo("Europe/Paris"), ZoneInfo("Indian/Reunion")]
    ),
).map(lambda moment: moment.astimezone(UTC))
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(hours=200))
positive_durations = st.timedeltas(
    min_value=timedelta(minutes=1), max_value=timedelta(hours=200)
)


@st.composite
def pause_lists(draw: st.DrawFn, start: datetime) -> list[Pause]:
    pauses: list[Pause] = []
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        offset = draw(
            st.timedeltas(min_value=-timedelta(days=2), max_value=timedelta(days=20))
        )
        length = draw(
            st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=3))
        )
        # In UTC: adding to an aware local time is wall-clock arithmetic in Python,
        # so across the spring-forward gap a span could end before it starts.
        pause_start = start.astimezone(UTC) + offset
        pauses.append((pause_start, pause_start + length))
    return pauses


def wall_clock_is_open(calendar: Calendar, moment: datetime) -> bool:
    """An oracle read straight from local wall-clock time, without UTC spans."""
    wall = moment.astimezone(calendar.zone)
    since_midnight = wall.replace(tzinfo=None) - datetime.combine(wall.date(), time(0))
    return calendar.is_business_day(wall.date()) and any(
        interval.start_offset <= since_midnight < interval.end_offset
        for interval in calendar.intervals_on(wall.weekday())
    )


@FAST
@given(calendar=calendars, start=moments, duration=durations)
def test_business_time_until_the_due_time_is_the_duration(
    calendar: Calendar, start: datetime, duration: timedelta
) -> None:
    due = add_business_time(calendar, start, duration)

    assert business_time_between(calendar, start, due) == duration


@FAST
@given(calendar=calendars, start=moments, duration=durations)
def test_from_an_open_start_too(
    calendar: Calendar, start: datetime, duration: timedelta
) -> None:
    opening = next_opening(calendar, start)
    due = add_business_time(calendar, opening, duration)

    assert is_open(calendar, opening) is True
    assert business_time_between(calendar, opening, due) == duration


@FAST
@given(calendar=calendars, start=moments, first=durations, second=durations)
def test_due_times_are_monotonic(
    calendar: Calendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    shorter, longer = sorted((first, second))

    assert add_business_time(calendar, start, shorter) <= add_business_time(
        calendar, start, longer
    )


@FAST
@given(calendar=calendars, start=moments, duration=positive_durations)
def test_a_due_time_is_open_or_ends_an_open_span_on_a_business_day(
    calendar: Calendar, start: datetime, duration: timedelta
) -> None:
    due = add_business_time(calendar, start, duration)
    last_open_moment = due - TICK
    local_day = last_open_moment.astimezone(calendar.zone).date()

    assert is_open(calendar, last_open_moment) is True
    assert calendar.is_business_day(local_day) is True
    assert due.utcoffset() == timedelta(0)
    assert due > start


@FAST
@given(calendar=calendars, start=moments, first=durations, second=durations)
def test_adding_is_additive(
    calendar: Calendar, start: datetime, first: timedelta, second: timedelta
) -> None:
    in_two_steps = add_business_time(
        calendar, add_business_time(calendar, start, first), second
    )

    assert in_two_steps == add_business_time(calendar, start, first + second)


@FAST
@given(calendar=calendars, moment=moments)
def test_is_open_matches_the_wall_clock(calendar: Calendar, moment: datetime) -> None:
    assert is_open(calendar, moment) is wall_clock_is_open(calendar, moment)


@settings(max_examples=25, deadline=None)
@given(
    calendar=calendars,
    quarters=st.integers(min_value=0, max_value=4 * 24 * 365 * 3),
    span=st.integers(min_value=0, max_value=4 * 24 * 3),
)
def test_business_time_between_matches_quarter_hour_sampling(
    calendar: Calendar, quarters: int, span: int
) -> None:
    # Every opening and DST boundary of these calendars falls on a UTC quarter hour.
    start = datetime(2025, 1, 1, tzinfo=UTC) + quarters * QUARTER
    sampled = sum(
        (
            QUARTER
            for step in range(span)
            if wall_clock_is_open(calendar, start + step * QUARTER)
        ),
        timedelta(0),
    )

    assert business_time_between(calendar, start, start + span * QUARTER) == sampled


@FAST
@given(calendar=calendars, start=moments, duration=durations, data=st.data())
def test_pauses_never_shorten_the_due_time(
    calendar: Calendar, start: datetime, duration: timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(start))

    paused_due = due_with_pauses(calendar, start, duration, pauses)

    assert paused_due >= add_business_time(calendar, start, duration)
    assert (
        business_time_between_with_pauses(calendar, start, paused_due, pauses)
        == duration
    )


@FAST
@given(calendar=calendars, start=moments, length=durations, data=st.data())
def test_pauses_never_add_business_time(
    calendar: Calendar, start: datetime, length: timedelta, data: st.DataObject
) -> None:
    pauses = data.draw(pause_lists(start))
    end = start.astimezone(UTC) + length  # elapsed time, not wall-clock arithmetic

    paused = business_time_between_with_pauses(calendar, start, end, pauses)

    assert timedelta(0) <= paused <= business_time_between(calendar, start, end)
    assert business_time_between_with_pauses(calendar, start, end, []) == (
        business_time_between(calendar, start, end)
    )


def test_an_empty_span_from_the_second_two_oclock_of_the_autumn_change() -> None:
    """Found by hypothesis: 02:00 (fold=1) on 26 October 2025 in Paris is 01:00 UTC;
    the span from it to the same instant is empty, not an error."""
    start = datetime(2025, 10, 26, 2, 0, fold=1, tzinfo=ZoneInfo("Europe/Paris"))
    instant = start.astimezone(UTC)

    assert instant == datetime(2025, 10, 26, 1, 0, tzinfo=UTC)
    assert business_time_between_with_pauses(CALENDARS[0], start, instant, []) == (
        timedelta(0)
    )
