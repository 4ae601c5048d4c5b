"""A calendar's stored definition: JSON in, `Calendar` out, and the short text form
administrators type.

Opening hours, one line per group of days, several intervals per line::

    mon-fri 09:00-12:30 13:30-18:00
    sat 09:00-12:00

Exceptions, one per line: a date, ``closed`` or ``open``, and an optional label::

    2026-05-15 closed Pont de l'Ascension
    2026-05-25 open Journée de solidarité

Pure functions: no database, ValueError with a readable message on bad input.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from amiable.sla.calendars import Calendar, OpeningInterval

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# French day names are accepted too, as administrators may type them.
_DAY_ALIASES = {
    **{name: index for index, name in enumerate(DAY_NAMES)},
    **{
        name: index
        for index, name in enumerate(("lun", "mar", "mer", "jeu", "ven", "sam", "dim"))
    },
}
_INTERVAL = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class CalendarExceptionDay:
    day: date
    is_open: bool
    label: str = ""


def _time_of(hour: str, minute: str, *, line: int) -> time:
    hours, minutes = int(hour), int(minute)
    if hours == 24 and minutes == 0:
        return time(0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"line {line}: {hour}:{minute} is not a time of day")
    return time(hours, minutes)


def _days_of(token: str, *, line: int) -> list[int]:
    days: list[int] = []
    for part in token.split(","):
        bounds = part.split("-")
        try:
            indexes = [_DAY_ALIASES[bound[:3].casefold()] for bound in bounds]
        except KeyError as error:
            raise ValueError(
                f"line {line}: unknown day {part!r} (use mon, tue, … sun)"
            ) from error
        if len(indexes) == 1:
            days.append(indexes[0])
        elif len(indexes) == 2 and indexes[0] <= indexes[1]:
            days.extend(range(indexes[0], indexes[1] + 1))
        else:
            raise ValueError(f"line {line}: {part!r} is not a range of days")
    return days


def parse_opening_hours(text: str) -> tuple[OpeningInterval, ...]:
    """Parse the text form of weekly opening hours. Raises ValueError."""
    intervals: list[OpeningInterval] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        tokens = raw.split()
        if not tokens:
            continue
        if len(tokens) < 2:
            raise ValueError(f"line {number}: days, then intervals such as 09:00-18:00")
        for day in _days_of(tokens[0], line=number):
            for token in tokens[1:]:
                match = _INTERVAL.match(token)
                if match is None:
                    raise ValueError(
                        f"line {number}: {token!r} is not an interval like 09:00-18:00"
                    )
                start = _time_of(match[1], match[2], line=number)
                end = _time_of(match[3], match[4], line=number)
                intervals.append(OpeningInterval(day, start, end))
    if not intervals:
        raise ValueError("A calendar needs opening hours on at least one day")
    return tuple(sorted(intervals))


def format_opening_hours(intervals: Sequence[OpeningInterval]) -> str:
    """The text form of ``intervals``, consecutive days with equal hours grouped."""
    by_day: dict[int, tuple[str, ...]] = {}
    for interval in sorted(intervals):
        end = "24:00" if interval.end == time(0) else f"{interval.end:%H:%M}"
        span = f"{interval.start:%H:%M}-{end}"
        by_day[interval.weekday] = (*by_day.get(interval.weekday, ()), span)
    lines: list[str] = []
    day = 0
    while day < 7:
        if day not in by_day:
            day += 1
            continue
        last = day
        while last + 1 in by_day and by_day[last + 1] == by_day[day]:
            last += 1
        days = DAY_NAMES[day] if last == day else f"{DAY_NAMES[day]}-{DAY_NAMES[last]}"
        lines.append(" ".join((days, *by_day[day])))
        day = last + 1
    return "\n".join(lines)


def parse_exceptions(text: str) -> tuple[CalendarExceptionDay, ...]:
    """Parse exception lines (``2026-05-15 closed Pont``). Raises ValueError."""
    days: dict[date, CalendarExceptionDay] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split(maxsplit=2)
        if not parts:
            continue
        try:
            day = date.fromisoformat(parts[0])
        except ValueError as error:
            raise ValueError(
                f"line {number}: {parts[0]!r} is not a date like 2026-05-15"
            ) from error
        kind = parts[1].casefold() if len(parts) > 1 else ""
        if kind not in {"closed", "open", "fermé", "ferme", "ouvert"}:
            raise ValueError(f"line {number}: say closed or open after the date")
        if day in days:
            raise ValueError(f"line {number}: {day} is listed twice")
        days[day] = CalendarExceptionDay(
            day=day,
            is_open=kind in {"open", "ouvert"},
            label=parts[2].strip()[:120] if len(parts) > 2 else "",
        )
    return tuple(sorted(days.values(), key=lambda entry: entry.day))


def format_exceptions(entries: Sequence[CalendarExceptionDay]) -> str:
    return "\n".join(
        f"{entry.day.isoformat()} {'open' if entry.is_open else 'closed'}"
        + (f" {entry.label}" if entry.label else "")
        for entry in sorted(entries, key=lambda entry: entry.day)
    )


def hours_to_json(intervals: Sequence[OpeningInterval]) -> list[list[Any]]:
    return [
        [interval.weekday, f"{interval.start:%H:%M}", f"{interval.end:%H:%M}"]
        for interval in sorted(intervals)
    ]


def hours_from_json(rows: Sequence[Sequence[Any]]) -> tuple[OpeningInterval, ...]:
    return tuple(
        OpeningInterval(
            int(weekday), time.fromisoformat(start), time.fromisoformat(end)
        )
        for weekday, start, end in rows
    )


def definition_of(
    *,
    time_zone: str,
    holiday_subdivision: str | None,
    opening_hours: Sequence[OpeningInterval],
    exceptions: Sequence[CalendarExceptionDay],
) -> dict[str, Any]:
    """The JSON snapshot stored in a ``CalendarVersion``. Raises ValueError when it
    does not make a valid `Calendar`."""
    definition: dict[str, Any] = {
        "time_zone": time_zone,
        "holiday_subdivision": holiday_subdivision,
        "opening_hours": hours_to_json(opening_hours),
        "closed_dates": sorted(e.day.isoformat() for e in exceptions if not e.is_open),
        "open_holidays": sorted(e.day.isoformat() for e in exceptions if e.is_open),
    }
    calendar_from_definition(definition)
    return definition


def calendar_from_definition(definition: dict[str, Any]) -> Calendar:
    """The `Calendar` of a stored snapshot. Raises ValueError for a bad one."""
    return Calendar(
        time_zone=str(definition["time_zone"]),
        opening_hours=hours_from_json(definition["opening_hours"]),
        holiday_subdivision=definition.get("holiday_subdivision") or None,
        closed_dates=frozenset(
            date.fromisoformat(day) for day in definition.get("closed_dates", ())
        ),
        open_holidays=frozenset(
            date.fromisoformat(day) for day in definition.get("open_holidays", ())
        ),
    )
