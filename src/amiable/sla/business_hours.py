"""Business-hours clock: add, measure and pause business time on a team calendar.

Pure functions over a frozen `Calendar`. Time is walked over local wall-clock opening
intervals (zoneinfo), never by adding fixed seconds in UTC, so DST changes, holidays and
lunch breaks are exact. Every datetime argument must be aware; results are aware UTC
datetimes: a local time with fold=1 in a repeated hour never compares equal to a
datetime of another zone (PEP 495), so local results would break `==`. Convert with
`astimezone(calendar.zone)` for display.

`add_business_time(c, s, d)` is the earliest instant `t >= s` with
`business_time_between(c, s, t) == d`: a start outside opening hours begins at the next
opening, and a due time is never pushed past a closing time to the next opening.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from amiable.sla.calendars import (
    MONDAY_TO_FRIDAY,
    MONDAY_TO_SATURDAY,
    Calendar,
    OpeningInterval,
    holiday_dates,
    holiday_subdivision,
    weekly_hours,
)
from amiable.sla.wall_clock import (
    HORIZON,
    Span,
    day_spans,
    merge_spans,
    open_spans,
    subtract_spans,
)

__all__ = [
    "HORIZON",
    "MONDAY_TO_FRIDAY",
    "MONDAY_TO_SATURDAY",
    "Calendar",
    "OpeningInterval",
    "Pause",
    "add_business_time",
    "business_time_between",
    "business_time_between_with_pauses",
    "due_with_pauses",
    "holiday_dates",
    "holiday_subdivision",
    "is_open",
    "next_opening",
    "weekly_hours",
]

# A span during which the clock stops (waiting on the customer): `(start, end)`.
Pause = tuple[datetime, datetime]


def _require_aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got naive {value!r}")
    return value.astimezone(UTC)


def _require_ordered(start: datetime, end: datetime, what: str) -> None:
    if end < start:
        raise ValueError(f"{what} ends ({end.isoformat()}) before it starts")


def _normalised_pauses(pauses: Sequence[Pause]) -> list[Span]:
    spans: list[Span] = []
    for pause_start, pause_end in pauses:
        start = _require_aware(pause_start, "pause start")
        end = _require_aware(pause_end, "pause end")
        _require_ordered(start, end, "A pause")
        if start < end:
            spans.append((start, end))
    return merge_spans(spans)


def _accumulate_until(
    calendar: Calendar, start: datetime, spans: Iterator[Span], target: timedelta
) -> datetime:
    if target < timedelta(0):
        raise ValueError(f"A business duration cannot be negative, got {target}")
    if target == timedelta(0):
        return start
    remaining = target
    for span_start, span_end in spans:
        length = span_end - span_start
        if remaining <= length:
            return span_start + remaining
        remaining -= length
    raise ValueError(
        f"The calendar does not open long enough within {HORIZON.days} days "
        f"of {start.isoformat()} to fit {target}"
    )


def add_business_time(
    calendar: Calendar, start: datetime, duration: timedelta
) -> datetime:
    """The instant `duration` of business time after `start` (the due time).

    Raises ValueError for a naive `start`, a negative `duration`, or when the
    calendar does not open enough within `HORIZON` (10 years).
    """
    moment = _require_aware(start, "start")
    return _accumulate_until(calendar, moment, open_spans(calendar, moment), duration)


def business_time_between(
    calendar: Calendar, start: datetime, end: datetime
) -> timedelta:
    """Business time elapsed from `start` to `end`.

    Raises ValueError for naive datetimes or `end` before `start`.
    """
    low = _require_aware(start, "start")
    high = _require_aware(end, "end")
    _require_ordered(low, high, "The period")
    return sum(
        (
            span_end - span_start
            for span_start, span_end in open_spans(calendar, low, high)
        ),
        timedelta(0),
    )


def is_open(calendar: Calendar, moment: datetime) -> bool:
    """Whether the calendar is open at `moment` (intervals are `[open, close)`).

    Raises ValueError for a naive `moment`.
    """
    instant = _require_aware(moment, "moment")
    day = instant.astimezone(calendar.zone).date()
    return any(start <= instant < end for start, end in day_spans(calendar, day))


def next_opening(calendar: Calendar, moment: datetime) -> datetime:
    """The earliest instant at or after `moment` when the calendar is open.

    `moment` itself when open. Raises ValueError for a naive `moment` or when the
    calendar does not open within `HORIZON`.
    """
    instant = _require_aware(moment, "moment")
    for span_start, _span_end in open_spans(calendar, instant):
        return span_start
    raise ValueError(
        f"The calendar does not open within {HORIZON.days} days of "
        f"{instant.isoformat()}"
    )


def business_time_between_with_pauses(
    calendar: Calendar, start: datetime, end: datetime, pauses: Sequence[Pause]
) -> timedelta:
    """Business time from `start` to `end`, not counting paused spans.

    Pauses may overlap each other or lie partly outside the period. Raises ValueError
    for naive datetimes, `end` before `start`, or a pause that ends before it starts.
    """
    low = _require_aware(start, "start")
    high = _require_aware(end, "end")
    _require_ordered(low, high, "The period")
    running = subtract_spans(
        open_spans(calendar, low, high), _normalised_pauses(pauses)
    )
    return sum(
        (span_end - span_start for span_start, span_end in running), timedelta(0)
    )


def due_with_pauses(
    calendar: Calendar, start: datetime, target: timedelta, pauses: Sequence[Pause]
) -> datetime:
    """The due time of a `target` of business time from `start`, pauses excluded.

    Pass a pause still running with the current time as its end, and recompute when
    it ends. Raises ValueError like `add_business_time`, and for a pause that ends
    before it starts.
    """
    moment = _require_aware(start, "start")
    holes = _normalised_pauses(pauses)
    running = subtract_spans(open_spans(calendar, moment), holes)
    return _accumulate_until(calendar, moment, running, target)
