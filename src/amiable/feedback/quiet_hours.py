"""Quiet hours: surveys are not sent at night in the team's time zone (pure)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def is_quiet(moment: dt.datetime, *, start_hour: int, end_hour: int, zone: str) -> bool:
    """Whether ``moment`` falls in [start, end) local time (wrapping past midnight)."""
    hour = moment.astimezone(ZoneInfo(zone)).hour
    if start_hour == end_hour:
        return False
    if start_hour > end_hour:
        return hour >= start_hour or hour < end_hour
    return start_hour <= hour < end_hour


def quiet_end(
    moment: dt.datetime, *, start_hour: int, end_hour: int, zone: str
) -> dt.datetime:
    """The first moment at or after ``moment`` outside the quiet hours (aware UTC)."""
    if not is_quiet(moment, start_hour=start_hour, end_hour=end_hour, zone=zone):
        return moment
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    day = local.date()
    if local.hour >= end_hour:
        day += dt.timedelta(days=1)
    end = dt.datetime.combine(day, dt.time(end_hour), tzinfo=tz)
    return end.astimezone(dt.UTC)
