"""API of business calendars: everyone reads them; administrators write them
(each write is a new version; clocks keep the version they started with)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from amiable.accounts.models import User
from amiable.accounts.permissions import can_manage_catalog
from amiable.accounts.selectors import team_list
from amiable.api.auth import actor_of
from amiable.api.schemas import ErrorOut, Id
from amiable.core.access import ADMIN, STAFF, access
from amiable.core.errors import NotFoundError, PermissionDeniedError, ValidationError
from amiable.sla.calendars import OpeningInterval
from amiable.sla.definitions import CalendarExceptionDay
from amiable.sla.models import BusinessCalendar
from amiable.sla.schemas import CalendarIn, CalendarOut
from amiable.sla.selectors import calendar_list
from amiable.sla.services import calendar_save

router = Router()
ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys(
    (400, 401, 403, 404, 409, 422), ErrorOut
)


def _get(actor: User, calendar_id: int) -> BusinessCalendar:
    calendar = calendar_list(actor=actor).filter(pk=calendar_id).first()
    if calendar is None:
        raise NotFoundError(_("No such calendar."))
    return calendar


def _save(actor: User, payload: CalendarIn, calendar: BusinessCalendar | None) -> int:
    # Calendars are configuration: administrators only, like the catalogue.
    if not can_manage_catalog(actor):
        raise PermissionDeniedError(_("Only administrators change calendars."))
    team = None
    if payload.team_id is not None:
        team = team_list(actor=actor).filter(pk=payload.team_id).first()
        if team is None:
            raise ValidationError(
                _("No such team."), fields={"team_id": [_("No such team.")]}
            )
    try:
        hours = [
            OpeningInterval(item.weekday, item.start, item.end)
            for item in payload.opening_hours
        ]
    except ValueError as error:
        raise ValidationError(
            _("The calendar is not valid."), fields={"opening_hours": [str(error)]}
        ) from error
    saved = calendar_save(
        actor=actor,
        calendar=calendar,
        name=payload.name,
        time_zone=payload.time_zone,
        holiday_region=payload.holiday_region,
        opening_hours=hours,
        exceptions=[
            CalendarExceptionDay(day=e.day, is_open=e.is_open, label=e.label)
            for e in payload.exceptions
        ],
        team=team,
        is_default=payload.is_default,
    )
    return saved.pk


@router.get("/calendars", response={200: list[CalendarOut], **ERRORS})
@access(STAFF)
def calendar_list_api(request: HttpRequest) -> list[Any]:
    """Every business calendar with its hours and exceptions."""
    return list(calendar_list(actor=actor_of(request)))


@router.get("/calendars/{calendar_id}", response={200: CalendarOut, **ERRORS})
@access(STAFF)
def calendar_get_api(request: HttpRequest, calendar_id: Id) -> BusinessCalendar:
    return _get(actor_of(request), calendar_id)


@router.post("/calendars", response={201: CalendarOut, **ERRORS})
@access(ADMIN)
def calendar_create_api(
    request: HttpRequest, payload: CalendarIn
) -> Status[BusinessCalendar]:
    """Create a calendar (administrators): 422 for overlapping hours, an unknown
    time zone or an empty week; 409 for a taken name or team."""
    actor = actor_of(request)
    return Status(201, _get(actor, _save(actor, payload, None)))


@router.put("/calendars/{calendar_id}", response={200: CalendarOut, **ERRORS})
@access(ADMIN)
def calendar_replace_api(
    request: HttpRequest, calendar_id: Id, payload: CalendarIn
) -> BusinessCalendar:
    """Replace a calendar (administrators): a new version; running SLA clocks keep
    the version they started with."""
    actor = actor_of(request)
    calendar = _get(actor, calendar_id)
    return _get(actor, _save(actor, payload, calendar))
