"""The legal-clock engine: when a legal time limit ends (domain rules §2.12).

Pure functions, no database. Legal periods run on **calendar** days, months and years
in the legal time zone of the customer relationship, and are never paused:

- the day of the triggering event is not counted; a period in days ends at 24:00 on
  its last day;
- a period in months or years ends on the same date of the last month, or on the last
  day of that month when it has no such date (31 January + 1 month = 28 or 29
  February) — ``dateutil.relativedelta`` does exactly this;
- only periods the consumer has are extended when they end on a Saturday, Sunday or
  public holiday (to the end of the next working day, Regulation 1182/71 art. 3(4)):
  a deadline the professional must meet is never extended (the earliest date).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from amiable.sla.calendars import holiday_dates

END_OF_DAY = dt.time(23, 59, 59)
SATURDAY = 5


class Extension(StrEnum):
    """What happens to a period whose last day is not a working day."""

    NONE = "none"
    NEXT_WORKING_DAY = "next_working_day"


@dataclass(frozen=True)
class Period:
    days: int = 0
    months: int = 0
    years: int = 0

    def __post_init__(self) -> None:
        if min(self.days, self.months, self.years) < 0:
            raise ValueError("A legal period cannot be negative")


@dataclass(frozen=True)
class LegalEnd:
    """The last day of a period (a local date) and the instant it ends (aware)."""

    last_day: dt.date
    due_at: dt.datetime
    was_extended: bool


def local_date(moment: dt.datetime, zone: str) -> dt.date:
    """The date a person in ``zone`` sees at ``moment`` (an aware datetime)."""
    if moment.tzinfo is None:
        raise ValueError("Legal triggers are aware datetimes")
    return moment.astimezone(ZoneInfo(zone)).date()


def is_working_day(day: dt.date, *, subdivision: str | None = None) -> bool:
    """Monday to Friday and not a French public holiday (1182/71 art. 2(2))."""
    return day.weekday() < SATURDAY and day not in holiday_dates(subdivision, day.year)


def last_day_of(trigger: dt.date, period: Period) -> dt.date:
    """The last day of ``period`` counted from the event day ``trigger``."""
    return trigger + relativedelta(
        years=period.years, months=period.months, days=period.days
    )


def end_of_day(day: dt.date, zone: str) -> dt.datetime:
    """The last second of ``day`` in ``zone`` (24:00, shown as the day itself)."""
    return dt.datetime.combine(day, END_OF_DAY, tzinfo=ZoneInfo(zone))


def legal_end(
    trigger_at: dt.datetime,
    period: Period,
    *,
    zone: str,
    extension: Extension = Extension.NONE,
    subdivision: str | None = None,
) -> LegalEnd:
    """When ``period`` started by the event at ``trigger_at`` ends.

    Raises ValueError for a naive ``trigger_at``."""
    last = last_day_of(local_date(trigger_at, zone), period)
    return on_day(last, zone=zone, extension=extension, subdivision=subdivision)


def on_day(
    day: dt.date,
    *,
    zone: str,
    extension: Extension = Extension.NONE,
    subdivision: str | None = None,
) -> LegalEnd:
    """A deadline that ends on a given ``day`` (a date a mediator set, say)."""
    last = day
    if extension == Extension.NEXT_WORKING_DAY:
        while not is_working_day(last, subdivision=subdivision):
            last += dt.timedelta(days=1)
    return LegalEnd(
        last_day=last, due_at=end_of_day(last, zone), was_extended=last != day
    )
