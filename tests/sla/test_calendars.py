"""Calendar construction, region choices, the holidays package, and input errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from amiable.sla.business_hours import (
    MONDAY_TO_FRIDAY,
    Calendar,
    OpeningInterval,
    add_business_time,
    business_time_between,
    business_time_between_with_pauses,
    due_with_pauses,
    holiday_dates,
    holiday_subdivision,
    is_open,
    next_opening,
    weekly_hours,
)

PARIS = ZoneInfo("Europe/Paris")
NINE_TO_SIX = weekly_hours(MONDAY_TO_FRIDAY, (time(9), time(18)))
CALENDAR = Calendar("Europe/Paris", NINE_TO_SIX)
AWARE = datetime(2026, 6, 1, 10, tzinfo=PARIS)
NAIVE = datetime(2026, 6, 1, 10)  # noqa: DTZ001 - the point of the test
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (None, None),
        ("national", None),
        ("Métropole", None),
        ("Alsace-Moselle", "57"),
        ("alsace-moselle", "57"),
        ("Moselle", "57"),
        ("57", "57"),
        ("Alsace", "6AE"),
        ("6ae", "6AE"),
        ("67", "6AE"),
        ("Haut-Rhin", "6AE"),
        ("RE", "974"),
        ("re", "974"),
        ("La Réunion", "974"),
        ("Guadeloupe", "971"),
        ("PM", "PM"),
    ],
)
def test_holiday_subdivision_maps_user_choices(
    choice: str | None, expected: str | None
) -> None:
    assert holiday_subdivision(choice) == expected


@pytest.mark.parametrize("choice", ["Zone A", "75", "Atlantis", "GES"])
def test_holiday_subdivision_rejects_unknown_regions(choice: str) -> None:
    with pytest.raises(ValueError, match="Unknown French holiday region"):
        holiday_subdivision(choice)


@pytest.mark.parametrize(
    ("subdivision", "year", "count", "included", "excluded"),
    [
        (None, 2026, 11, date(2026, 5, 25), date(2026, 4, 3)),
        ("57", 2026, 13, date(2026, 4, 3), date(2026, 12, 20)),
        ("6AE", 2026, 13, date(2026, 12, 26), date(2026, 12, 20)),
        ("974", 2026, 12, date(2026, 12, 20), date(2026, 12, 26)),
        # Whit Monday was the default solidarity day from 2005 to 2007.
        (None, 2006, 10, date(2006, 5, 1), date(2006, 6, 5)),
        # Ascension fell on 1 May in 2008: eleven holidays, ten dates.
        (None, 2008, 10, date(2008, 5, 1), date(2008, 5, 2)),
    ],
)
def test_holiday_dates(
    subdivision: str | None, year: int, count: int, included: date, excluded: date
) -> None:
    dates = holiday_dates(subdivision, year)

    assert (len(dates), included in dates, excluded in dates) == (count, True, False)


def test_equal_calendars_hash_equal_whatever_the_order() -> None:
    shuffled = Calendar("Europe/Paris", tuple(reversed(NINE_TO_SIX)))

    assert (shuffled == CALENDAR, hash(shuffled) == hash(CALENDAR)) == (True, True)


def test_calendar_helpers() -> None:
    calendar = Calendar(
        "Europe/Paris",
        NINE_TO_SIX,
        "57",
        closed_dates=frozenset({date(2026, 6, 2)}),
        open_holidays=frozenset({date(2026, 5, 25)}),
    )

    assert calendar.intervals_on(0) == (OpeningInterval(0, time(9), time(18)),)
    assert calendar.intervals_on(6) == ()
    assert [
        calendar.is_business_day(day)
        for day in (
            date(2026, 6, 1),
            date(2026, 6, 2),
            date(2026, 5, 25),
            date(2026, 4, 3),
            date(2026, 6, 6),
        )
    ] == [True, False, True, False, False]
    assert calendar.is_holiday(date(2026, 5, 25)) is True


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Calendar("Europe/Paris", ()), "at least one weekday"),
        (lambda: Calendar("Europe/Atlantis", NINE_TO_SIX), "Unknown time zone"),
        (lambda: Calendar("../etc/passwd", NINE_TO_SIX), "Unknown time zone"),
        (
            lambda: Calendar(
                "Europe/Paris",
                weekly_hours([0], (time(9), time(13)), (time(12), time(18))),
            ),
            "overlap on weekday 0",
        ),
        (
            lambda: Calendar("Europe/Paris", NINE_TO_SIX, "Alsace-Moselle"),
            "not a canonical code",
        ),
        (lambda: Calendar("Europe/Paris", NINE_TO_SIX, "RE"), "not a canonical code"),
        (
            lambda: Calendar(
                "Europe/Paris",
                NINE_TO_SIX,
                closed_dates=frozenset({date(2026, 5, 25)}),
                open_holidays=frozenset({date(2026, 5, 25)}),
            ),
            "both closed and open: 2026-05-25",
        ),
        (lambda: OpeningInterval(7, time(9), time(18)), "weekday must be 0"),
        (lambda: OpeningInterval(0, time(18), time(9)), "must end after it starts"),
        (lambda: OpeningInterval(0, time(9), time(9)), "must end after it starts"),
        (
            lambda: OpeningInterval(0, time(9, tzinfo=UTC), time(18)),
            "local wall-clock times",
        ),
    ],
)
def test_invalid_calendars_are_refused(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: add_business_time(CALENDAR, NAIVE, HOUR), "start must be an aware"),
        (
            lambda: add_business_time(CALENDAR, AWARE, -HOUR),
            "cannot be negative",
        ),
        (lambda: business_time_between(CALENDAR, NAIVE, AWARE), "start must be"),
        (lambda: business_time_between(CALENDAR, AWARE, NAIVE), "end must be"),
        (
            lambda: business_time_between(CALENDAR, AWARE, AWARE - HOUR),
            "before it starts",
        ),
        (lambda: is_open(CALENDAR, NAIVE), "moment must be an aware"),
        (lambda: next_opening(CALENDAR, NAIVE), "moment must be an aware"),
        (
            lambda: business_time_between_with_pauses(
                CALENDAR, AWARE, AWARE + HOUR, [(NAIVE, AWARE)]
            ),
            "pause start must be an aware",
        ),
        (
            lambda: business_time_between_with_pauses(
                CALENDAR, AWARE + HOUR, AWARE, []
            ),
            "before it starts",
        ),
        (
            lambda: due_with_pauses(CALENDAR, AWARE, HOUR, [(AWARE, AWARE - HOUR)]),
            "A pause ends",
        ),
        (lambda: due_with_pauses(CALENDAR, AWARE, -HOUR, []), "cannot be negative"),
    ],
)
def test_invalid_arguments_are_refused(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call()
