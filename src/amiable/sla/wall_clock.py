"""Turn a calendar's local wall-clock opening intervals into UTC spans.

An instant is open when its local wall time (date and time, as `astimezone` gives it)
falls in an opening interval of a business day. A span is the set of such instants, so
around DST changes:
- a nonexistent local time (spring forward) is simply never reached: 01:00-04:00 on
  2026-03-29 in Paris lasts 2 hours;
- an ambiguous local time (fall back) is reached twice (fold 0 and fold 1): 00:00-04:00
  on 2026-10-25 lasts 5 hours, and 02:30-04:00 is two separate spans.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from amiable.sla.calendars import MIDNIGHT, ONE_DAY, Calendar

Span = tuple[datetime, datetime]

# Walk at most this far ahead, so a calendar closed forever cannot loop.
HORIZON = timedelta(days=3653)
# Offsets are sampled this often to find DST changes; see `offset_segments`.
_SAMPLE_STEP = timedelta(hours=6)
_RESOLUTION = timedelta(microseconds=1)


def _offset_at(zone: ZoneInfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(zone).utcoffset()
    if offset is None:  # pragma: no cover - ZoneInfo always gives an offset
        raise ValueError(f"No UTC offset for {instant!r}")
    return offset


def _first_change(zone: ZoneInfo, low: datetime, high: datetime) -> datetime:
    """The first instant in (low, high] whose offset differs from `low`'s."""
    before = _offset_at(zone, low)
    while high - low > _RESOLUTION:
        middle = low + (high - low) // 2
        if _offset_at(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high


def offset_segments(
    zone: ZoneInfo, low: datetime, high: datetime
) -> list[tuple[datetime, datetime, timedelta]]:
    """Split UTC `[low, high)` into runs of constant UTC offset.

    Samples every 6 hours and bisects where the offset changes: assumes two offset
    changes of a zone are more than 6 hours apart, true of every tzdata zone in use.
    """
    last = high - _RESOLUTION
    probes = [low]
    while probes[-1] + _SAMPLE_STEP < last:
        probes.append(probes[-1] + _SAMPLE_STEP)
    probes.append(last)
    offsets = [_offset_at(zone, probe) for probe in probes]
    segments: list[tuple[datetime, datetime, timedelta]] = []
    start, offset = low, offsets[0]
    for position in range(1, len(probes)):
        if offsets[position] != offsets[position - 1]:
            change = _first_change(zone, probes[position - 1], probes[position])
            segments.append((start, change, offset))
            start, offset = change, _offset_at(zone, change)
    segments.append((start, high, offset))
    return segments


def _wall_as_utc(day: date, since_midnight: timedelta) -> datetime:
    return datetime.combine(day, MIDNIGHT, tzinfo=UTC) + since_midnight


@lru_cache(maxsize=16384)
def day_spans(calendar: Calendar, day: date) -> tuple[Span, ...]:
    """The UTC spans during which `calendar` is open on local date `day`, in order.

    Empty on a closed day. Touching spans are merged; spans are disjoint from every
    other day's.
    """
    if not calendar.is_business_day(day):
        return ()
    # UTC offsets are under a day (Python enforces it), so every instant whose local
    # date is `day` lies within a day of `day`'s midnight read as UTC.
    zone = calendar.zone
    low = _wall_as_utc(day, -ONE_DAY)
    high = _wall_as_utc(day, 2 * ONE_DAY)
    segments = offset_segments(zone, low, high)
    pieces: list[Span] = []
    for interval in calendar.intervals_on(day.weekday()):
        wall_start = _wall_as_utc(day, interval.start_offset)
        wall_end = _wall_as_utc(day, interval.end_offset)
        for segment_start, segment_end, offset in segments:
            # Instants u of this segment with wall time u + offset in [start, end).
            start = max(segment_start, wall_start - offset)
            end = min(segment_end, wall_end - offset)
            if start < end:
                pieces.append((start, end))
    return tuple(merge_spans(pieces))


def merge_spans(spans: list[Span]) -> list[Span]:
    """Sort spans and merge those that overlap or touch."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def open_spans(
    calendar: Calendar, start: datetime, stop: datetime | None = None
) -> Iterator[Span]:
    """Yield the calendar's open spans clipped to `[start, stop)`, in UTC and in order.

    Without `stop`, stops after `HORIZON` past `start`. Days are walked in local date
    order; a span is released only once no later day can produce an earlier one (a
    day's instants are never more than a day before its midnight read as UTC), so the
    output stays chronological even where a DST change crosses midnight.
    """
    start = start.astimezone(UTC)
    zone = calendar.zone
    day = start.astimezone(zone).date() - ONE_DAY
    last_day = (
        stop.astimezone(zone).date() + ONE_DAY
        if stop is not None
        else start.astimezone(zone).date() + HORIZON
    )
    pending: list[Span] = []
    while day <= last_day:
        pending.extend(day_spans(calendar, day))
        # Days after `day` only hold instants at or after this watermark.
        watermark = _wall_as_utc(day, timedelta(0))
        pending.sort()
        ready = [span for span in pending if span[1] <= watermark]
        pending = [span for span in pending if span[1] > watermark]
        yield from _clip(ready, start, stop)
        if stop is not None and watermark >= stop:
            break
        day += ONE_DAY
    yield from _clip(pending, start, stop)


def _clip(spans: list[Span], start: datetime, stop: datetime | None) -> Iterator[Span]:
    for span_start, span_end in spans:
        if span_end <= start:
            continue
        clipped_start = max(span_start, start)
        clipped_end = span_end if stop is None else min(span_end, stop)
        if clipped_start < clipped_end:
            yield clipped_start, clipped_end


def subtract_spans(spans: Iterator[Span], holes: list[Span]) -> Iterator[Span]:
    """Yield `spans` (chronological, disjoint) minus the merged, sorted `holes`."""
    index = 0
    for span_start, span_end in spans:
        cursor = span_start
        while index < len(holes) and holes[index][1] <= cursor:
            index += 1
        position = index
        while position < len(holes) and holes[position][0] < span_end:
            hole_start, hole_end = holes[position]
            if hole_start > cursor:
                yield cursor, hole_start
            cursor = max(cursor, hole_end)
            if cursor >= span_end:
                break
            position += 1
        if cursor < span_end:
            yield cursor, span_end
