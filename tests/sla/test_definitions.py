"""The text forms administrators type for opening hours and exceptions."""

from __future__ import annotations

from datetime import date, time

import pytest

from amiable.sla.calendars import OpeningInterval
from amiable.sla.definitions import (
    CalendarExceptionDay,
    format_exceptions,
    format_opening_hours,
    parse_exceptions,
    parse_opening_hours,
)


def test_days_ranges_lunch_breaks_and_french_day_names() -> None:
    intervals = parse_opening_hours(
        "lun-ven 09:00-12:30 13:30-18:00\n\nsat 09:00-12:00\nsun 22:00-24:00"
    )

    assert intervals[:2] == (
        OpeningInterval(0, time(9), time(12, 30)),
        OpeningInterval(0, time(13, 30), time(18)),
    )
    assert len(intervals) == 5 * 2 + 2
    assert intervals[-1] == OpeningInterval(6, time(22), time(0))
    assert format_opening_hours(intervals) == (
        "mon-fri 09:00-12:30 13:30-18:00\nsat 09:00-12:00\nsun 22:00-24:00"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "A calendar needs opening hours on at least one day"),
        ("mon", "line 1: days, then intervals such as 09:00-18:00"),
        ("mon 9h-18h", "line 1: '9h-18h' is not an interval like 09:00-18:00"),
        ("xyz 09:00-18:00", "line 1: unknown day 'xyz' (use mon, tue, … sun)"),
        ("fri-mon 09:00-18:00", "line 1: 'fri-mon' is not a range of days"),
        ("mon 09:00-25:00", "line 1: 25:00 is not a time of day"),
        (
            "mon 18:00-09:00",
            "Opening interval 18:00:00-09:00:00 must end after it starts",
        ),
    ],
)
def test_bad_opening_hours_say_where(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^") as caught:
        parse_opening_hours(text)

    assert str(caught.value) == message


def test_exceptions_read_and_write_back() -> None:
    entries = parse_exceptions(
        "2026-05-25 ouvert Journée de solidarité\n2026-05-15 closed Pont de l’Ascension"
    )

    assert entries == (
        CalendarExceptionDay(date(2026, 5, 15), False, "Pont de l’Ascension"),
        CalendarExceptionDay(date(2026, 5, 25), True, "Journée de solidarité"),
    )
    assert format_exceptions(entries) == (
        "2026-05-15 closed Pont de l’Ascension\n2026-05-25 open Journée de solidarité"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("15/05/2026 closed", "line 1: '15/05/2026' is not a date like 2026-05-15"),
        ("2026-05-15", "line 1: say closed or open after the date"),
        ("2026-05-15 closed\n2026-05-15 open", "line 2: 2026-05-15 is listed twice"),
    ],
)
def test_bad_exceptions_say_where(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^") as caught:
        parse_exceptions(text)

    assert str(caught.value) == message
