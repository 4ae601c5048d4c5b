"""Writing business calendars. Every change bumps the version and stores a snapshot."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import Team, User
from amiable.audit.services import audit_record
from amiable.core.clock import now
from amiable.core.errors import DuplicateError
from amiable.sla.calendars import OpeningInterval, holiday_subdivision
from amiable.sla.definitions import CalendarExceptionDay, definition_of, hours_to_json
from amiable.sla.errors import CalendarInvalidError
from amiable.sla.models import (
    BusinessCalendar,
    CalendarException,
    CalendarVersion,
    HolidayRegion,
)


@transaction.atomic
def calendar_save(
    *,
    actor: User | None,
    calendar: BusinessCalendar | None = None,
    name: str,
    time_zone: str,
    holiday_region: str,
    opening_hours: Sequence[OpeningInterval],
    exceptions: Sequence[CalendarExceptionDay] = (),
    team: Team | None = None,
    is_default: bool = False,
) -> BusinessCalendar:
    """Create a calendar, or replace everything of ``calendar``; store version N+1.

    Making a calendar the default takes the flag from the previous default. Raises
    CalendarInvalidError for a bad time zone, region, overlapping hours or an empty
    week; DuplicateError for a taken name or a team that has a calendar already.
    """
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Required.")]
    if holiday_region not in HolidayRegion.values:
        errors["holiday_region"] = [_("Unknown holiday region.")]
    if errors:
        raise CalendarInvalidError(_("The calendar is not valid."), fields=errors)
    try:
        definition = definition_of(
            time_zone=time_zone.strip(),
            holiday_subdivision=holiday_subdivision(holiday_region or None),
            opening_hours=opening_hours,
            exceptions=exceptions,
        )
    except ValueError as error:
        field = "time_zone" if "time zone" in str(error) else "opening_hours"
        raise CalendarInvalidError(
            _("The calendar is not valid."), fields={field: [str(error)]}
        ) from error
    others = BusinessCalendar.objects.all()
    if calendar is not None:
        others = others.exclude(pk=calendar.pk)
    if others.filter(name__iexact=name).exists():
        raise DuplicateError(
            _("A calendar with this name already exists."),
            fields={"name": [_("Taken.")]},
        )
    if team is not None and others.filter(team=team).exists():
        raise DuplicateError(
            _("This team already has a calendar."), fields={"team": [_("Taken.")]}
        )
    if is_default:
        others.filter(is_default=True).update(is_default=False)
    before = None
    if calendar is None:
        calendar = BusinessCalendar(version=1)
    else:
        calendar = BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)
        before = {
            "version": calendar.version,
            **calendar.versions.get(number=calendar.version).definition,
        }
        calendar.version += 1
    calendar.name = name[:120]
    calendar.time_zone = definition["time_zone"]
    calendar.holiday_region = holiday_region
    calendar.opening_hours = hours_to_json(opening_hours)
    calendar.team = team
    calendar.is_default = is_default
    calendar.save()
    calendar.exceptions.all().delete()
    CalendarException.objects.bulk_create(
        CalendarException(
            calendar=calendar, day=entry.day, is_open=entry.is_open, label=entry.label
        )
        for entry in exceptions
    )
    CalendarVersion.objects.create(
        calendar=calendar,
        number=calendar.version,
        definition=definition,
        created_at=now(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="calendar.save",
        instance=calendar,
        before=before,
        after={"version": calendar.version, **definition},
    )
    return calendar
