"""Due times in the legal time zone of the customer relationship.

A date promised to a customer ("delivered by 12 March") is due at the end of that
day where the customer lives (Europe/Paris by default, ``TIME_ZONE``), whatever the
UTC offset or the DST change that night. Calendar-day limits are counted on local
dates and never extended (domain rules §2.12, point 3)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings

DEFAULT_DELIVERY_DAYS = 30  # FR.DELIVERY.DEFAULT_30D (C. conso L216-1)


def legal_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def end_of_day(day: dt.date, zone: ZoneInfo | None = None) -> dt.datetime:
    """The last second of ``day`` in ``zone`` (the legal zone by default), in UTC."""
    local = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=zone or legal_zone())
    return local.astimezone(dt.UTC)


def local_date(moment: dt.datetime, zone: ZoneInfo | None = None) -> dt.date:
    return moment.astimezone(zone or legal_zone()).date()


def delivery_due(
    *, placed_at: dt.datetime, promised_date: dt.date | None
) -> tuple[dt.datetime, str]:
    """When an order must be delivered, and the rule that says so: the date shown
    to the customer, else 30 calendar days after the order (local dates)."""
    if promised_date is not None:
        return end_of_day(promised_date), "FR.DELIVERY.PROMISED_DATE"
    day = local_date(placed_at) + dt.timedelta(days=DEFAULT_DELIVERY_DAYS)
    return end_of_day(day), "FR.DELIVERY.DEFAULT_30D"


def at_local_time(
    day: dt.date, hour: int, minute: int = 0, zone: ZoneInfo | None = None
) -> dt.datetime:
    """``hour:minute`` on ``day`` in the zone, in UTC (e.g. "tomorrow before noon")."""
    local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone or legal_zone())
    return local.astimezone(dt.UTC)
