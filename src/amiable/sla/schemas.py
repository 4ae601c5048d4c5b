"""API schemas of business calendars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import Id, InSchema, LocalTime, NulFreeSchema
from amiable.sla.definitions import hours_from_json
from amiable.sla.models import HolidayRegion


class OpeningIntervalIO(NulFreeSchema):
    weekday: int = Field(ge=0, le=6, description="0 Monday … 6 Sunday")
    start: LocalTime
    end: LocalTime = Field(description="00:00 means midnight at the end of the day")


class CalendarExceptionIO(NulFreeSchema):
    day: dt.date
    is_open: bool = Field(
        False, description="true: open on this public holiday; false: closed"
    )
    label: str = Field("", max_length=120)


class CalendarOut(Schema):
    id: int
    name: str
    team_id: int | None
    is_default: bool
    time_zone: str
    holiday_region: str = Field(
        description="'' national, '57' Moselle, '6AE' Alsace, '971'-'976' overseas"
    )
    version: int
    opening_hours: list[OpeningIntervalIO]
    exceptions: list[CalendarExceptionIO]

    @staticmethod
    def resolve_opening_hours(obj: Any) -> list[dict[str, Any]]:
        return [
            {"weekday": i.weekday, "start": i.start, "end": i.end}
            for i in hours_from_json(obj.opening_hours)
        ]

    @staticmethod
    def resolve_exceptions(obj: Any) -> list[dict[str, Any]]:
        return [
            {"day": e.day, "is_open": e.is_open, "label": e.label}
            for e in obj.exceptions.all()
        ]


class CalendarIn(InSchema):
    name: str = Field(min_length=1, max_length=120)
    time_zone: str = Field("Europe/Paris", max_length=64)
    holiday_region: HolidayRegion = HolidayRegion.NATIONAL
    opening_hours: list[OpeningIntervalIO] = Field(min_length=1, max_length=70)
    exceptions: list[CalendarExceptionIO] = Field(default_factory=list, max_length=1000)
    team_id: Id | None = None
    is_default: bool = False
