"""Saving business calendars: versions, the default calendar, errors."""

from __future__ import annotations

import pytest

from amiable.accounts.models import Team
from amiable.audit.models import AuditEvent
from amiable.core.errors import DuplicateError, ValidationError
from amiable.sla.definitions import parse_exceptions, parse_opening_hours
from amiable.sla.models import BusinessCalendar, CalendarVersion
from amiable.sla.selectors import calendar_of, calendar_version_for_team
from amiable.sla.services import calendar_save
from tests.factories import TeamFactory

HOURS = parse_opening_hours("mon-fri 09:00-18:00")


def _save(**changes: object) -> BusinessCalendar:
    arguments: dict[str, object] = {
        "actor": None,
        "name": "Metz",
        "time_zone": "Europe/Paris",
        "holiday_region": "57",
        "opening_hours": HOURS,
    }
    return calendar_save(**(arguments | changes))  # type: ignore[arg-type]


@pytest.mark.django_db
def test_a_fresh_install_has_a_default_calendar() -> None:
    version = calendar_version_for_team(team_id=None)

    assert version is not None
    assert (version.calendar.name, version.number) == ("Horaires standard", 1)
    assert calendar_of(version).holiday_subdivision is None


@pytest.mark.django_db
def test_every_save_is_a_new_version_and_audited(team: Team) -> None:
    calendar = _save(team=team, exceptions=parse_exceptions("2026-05-15 closed Pont"))

    changed = _save(calendar=calendar, team=team, holiday_region="")

    versions = [
        (row.number, row.definition["holiday_subdivision"])
        for row in CalendarVersion.objects.filter(calendar=calendar)
    ]
    assert changed.version == 2
    assert sorted(versions) == [(1, "57"), (2, None)]
    assert changed.exceptions.count() == 0
    assert AuditEvent.objects.filter(action="calendar.save").count() == 2
    current = calendar_version_for_team(team_id=team.pk)
    assert current is not None
    assert (current.calendar_id, current.number) == (calendar.pk, 2)


@pytest.mark.django_db
def test_a_team_without_calendar_gets_the_default(team: Team) -> None:
    _save(team=TeamFactory.create(name="Ailleurs"))

    current = calendar_version_for_team(team_id=team.pk)

    assert current is not None
    assert current.calendar.is_default


@pytest.mark.django_db
def test_making_a_calendar_the_default_takes_the_flag() -> None:
    calendar = _save(is_default=True)

    assert list(
        BusinessCalendar.objects.filter(is_default=True).values_list("pk", flat=True)
    ) == [calendar.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"time_zone": "Europe/Metz"}, ValidationError, "time_zone"),
        ({"holiday_region": "99"}, ValidationError, "holiday_region"),
        ({"name": "  "}, ValidationError, "name"),
        ({"name": "horaires STANDARD"}, DuplicateError, "name"),
    ],
)
def test_bad_calendars_write_nothing(
    changes: dict[str, object], error: type[Exception], field: str
) -> None:
    before = (BusinessCalendar.objects.count(), CalendarVersion.objects.count())

    with pytest.raises(error) as caught:
        _save(**changes)

    assert list(caught.value.fields) == [field]  # type: ignore[attr-defined]
    assert (BusinessCalendar.objects.count(), CalendarVersion.objects.count()) == before


@pytest.mark.django_db
def test_a_team_has_one_calendar(team: Team) -> None:
    _save(team=team)

    with pytest.raises(DuplicateError):
        _save(name="Autre", team=team)
