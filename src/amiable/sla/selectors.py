"""Reading business calendars."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from amiable.accounts.models import User
from amiable.sla.calendars import Calendar
from amiable.sla.definitions import calendar_from_definition
from amiable.sla.models import BusinessCalendar, CalendarVersion


def calendar_list(*, actor: User) -> QuerySet[BusinessCalendar]:
    """Every calendar (staff may read opening hours), with team and exceptions."""
    return BusinessCalendar.objects.select_related("team").prefetch_related(
        "exceptions"
    )


def calendar_version_for_team(*, team_id: int | None) -> CalendarVersion | None:
    """The current version of the team's calendar, else of the default calendar;
    None when neither exists (one query)."""
    condition = Q(calendar__is_default=True)
    if team_id is not None:
        condition |= Q(calendar__team_id=team_id)
    current = CalendarVersion.objects.filter(
        condition, number=F("calendar__version")
    ).select_related("calendar")
    best: CalendarVersion | None = None
    for version in current:  # at most two rows: the team's and the default
        if team_id is not None and version.calendar.team_id == team_id:
            return version
        best = version
    return best


def calendar_of(version: CalendarVersion) -> Calendar:
    """The pure `Calendar` a stored version describes."""
    return calendar_from_definition(version.definition)
