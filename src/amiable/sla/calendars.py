"""Team calendars: a time zone, weekly opening hours, French holidays and exceptions.

Pure data (frozen, hashable dataclasses) so results can be cached per calendar; the
arithmetic lives in `amiable.sla.business_hours`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from holidays import country_holidays
from holidays.countries.france import France as FrenchHolidays

MIDNIGHT = time(0)
ONE_DAY = timedelta(days=1)
MONDAY_TO_FRIDAY = (0, 1, 2, 3, 4)
MONDAY_TO_SATURDAY = (0, 1, 2, 3, 4, 5)

# Choices a user may type that the holidays package does not know, or only knows as
# deprecated aliases ("Alsace-Moselle", "Métropole"). Moselle (57) and Alsace (6AE) have
# the same list (Good Friday and 26 December added); the package has no "67" or "68".
_REGION_CHOICES: dict[str, str | None] = {
    "": None,
    "national": None,
    "fr": None,
    "france": None,
    "metropole": None,
    "métropole": None,
    "alsace-moselle": "57",
    "alsace moselle": "57",
    "bas-rhin": "6AE",
    "haut-rhin": "6AE",
    "67": "6AE",
    "68": "6AE",
}


def _public_subdivisions() -> dict[str, str]:
    """Casefolded code or alias -> canonical code, school zones left out."""
    codes = [
        code
        for code in FrenchHolidays.subdivisions
        if not str(code).startswith("Zone ")
    ]
    lookup = {str(code).casefold(): str(code) for code in codes}
    for alias, code in FrenchHolidays.subdivisions_aliases.items():
        if code in codes:
            lookup[str(alias).casefold()] = str(code)
    return lookup


_SUBDIVISIONS = _public_subdivisions()


def holiday_subdivision(choice: str | None) -> str | None:
    """Map a user's region choice to a canonical `holidays.France` subdivision code.

    None means the national list. "Alsace-Moselle" maps to "57" (Moselle). Matching is
    case-insensitive and accepts the package's aliases ("RE", "Guadeloupe", ...).
    Raises ValueError for an unknown region or a school zone ("Zone A": its category is
    school holidays, which do not close a service).
    """
    if choice is None:
        return None
    key = choice.strip().casefold()
    if key in _REGION_CHOICES:
        return _REGION_CHOICES[key]
    if key in _SUBDIVISIONS:
        return _SUBDIVISIONS[key]
    known = ", ".join(sorted(set(_SUBDIVISIONS.values())))
    raise ValueError(
        f"Unknown French holiday region {choice!r}; use 'national', "
        f"'Alsace-Moselle' or one of: {known}"
    )


@lru_cache(maxsize=512)
def holiday_dates(subdivision: str | None, year: int) -> frozenset[date]:
    """The public holidays of one year for a subdivision (None: national list).

    Returned as a frozen set: a `holidays` object grows itself on lookup, and two
    holidays on one day (1 May and Ascension in 2008) share a single key anyway.
    """
    return frozenset(country_holidays("FR", subdiv=subdivision, years=year).keys())


def _since_midnight(moment: time) -> timedelta:
    return timedelta(
        hours=moment.hour,
        minutes=moment.minute,
        seconds=moment.second,
        microseconds=moment.microsecond,
    )


@dataclass(frozen=True, order=True)
class OpeningInterval:
    """One opening span of a weekday in local wall-clock time, `[start, end)`.

    `weekday` is 0 (Monday) to 6 (Sunday). An `end` of 00:00 means midnight at the end
    of the day (24:00). Raises ValueError for a bad weekday, an aware time or an empty
    or reversed span.
    """

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if self.weekday not in range(7):
            raise ValueError(f"weekday must be 0 (Monday) to 6, got {self.weekday}")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Opening hours are local wall-clock times, not aware")
        if self.start_offset >= self.end_offset:
            raise ValueError(
                f"Opening interval {self.start}-{self.end} must end after it starts"
            )

    @property
    def start_offset(self) -> timedelta:
        """Time since local midnight at which the interval opens."""
        return _since_midnight(self.start)

    @property
    def end_offset(self) -> timedelta:
        """Time since local midnight at which it closes (24 h for an `end` of 00:00)."""
        return ONE_DAY if self.end == MIDNIGHT else _since_midnight(self.end)


def weekly_hours(
    weekdays: Iterable[int], *spans: tuple[time, time]
) -> tuple[OpeningInterval, ...]:
    """The same opening spans on each of `weekdays` (e.g. 9-12:30 and 13:30-18)."""
    return tuple(
        OpeningInterval(weekday, start, end)
        for weekday in weekdays
        for start, end in spans
    )


@dataclass(frozen=True)
class Calendar:
    """A team's business calendar.

    - `time_zone`: IANA name, e.g. "Europe/Paris" or "Indian/Reunion";
    - `opening_hours`: weekly intervals, several per weekday allowed (lunch break);
    - `holiday_subdivision`: None for the national list, else a canonical code from
      `holiday_subdivision()` ("57", "6AE", "974", ...);
    - `closed_dates`: extra closed local dates (bridge day, inventory);
    - `open_holidays`: holidays worked anyway with the usual weekly hours (Whit Monday
      as the solidarity day). It never opens a day without weekly hours.

    Raises ValueError for an unknown time zone, an empty week, overlapping intervals, a
    non-canonical subdivision, or a date both closed and open.
    """

    time_zone: str
    opening_hours: tuple[OpeningInterval, ...]
    holiday_subdivision: str | None = None
    closed_dates: frozenset[date] = frozenset()
    open_holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Unknown time zone {self.time_zone!r}") from error
        # Normalise so equal calendars compare and hash equal, whatever the input order.
        object.__setattr__(self, "opening_hours", tuple(sorted(self.opening_hours)))
        object.__setattr__(self, "closed_dates", frozenset(self.closed_dates))
        object.__setattr__(self, "open_holidays", frozenset(self.open_holidays))
        if not self.opening_hours:
            raise ValueError("A calendar needs opening hours on at least one weekday")
        for previous, current in zip(
            self.opening_hours, self.opening_hours[1:], strict=False
        ):
            if (
                previous.weekday == current.weekday
                and current.start_offset < previous.end_offset
            ):
                raise ValueError(
                    f"Opening intervals overlap on weekday {current.weekday}: "
                    f"{previous.start}-{previous.end} and {current.start}-{current.end}"
                )
        if self.holiday_subdivision is not None and (
            holiday_subdivision(self.holiday_subdivision) != self.holiday_subdivision
        ):
            raise ValueError(
                f"Holiday subdivision {self.holiday_subdivision!r} is not a canonical "
                "code; pass it through holiday_subdivision() first"
            )
        both = self.closed_dates & self.open_holidays
        if both:
            raise ValueError(
                f"Dates both closed and open: {', '.join(map(str, sorted(both)))}"
            )

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's time zone (ZoneInfo caches instances by name)."""
        return ZoneInfo(self.time_zone)

    def intervals_on(self, weekday: int) -> tuple[OpeningInterval, ...]:
        """The weekly opening intervals of one weekday, in order."""
        return tuple(
            interval for interval in self.opening_hours if interval.weekday == weekday
        )

    def is_holiday(self, day: date) -> bool:
        """Whether `day` is a public holiday of the region (worked or not)."""
        return day in holiday_dates(self.holiday_subdivision, day.year)

    def is_business_day(self, day: date) -> bool:
        """Whether the service opens at all on the local date `day`."""
        if day in self.closed_dates:
            return False
        if self.is_holiday(day) and day not in self.open_holidays:
            return False
        return any(interval.weekday == day.weekday() for interval in self.opening_hours)
