"""A default business calendar, so SLA clocks work on a fresh install: Monday to
Friday 09:00-18:00, Europe/Paris, the national French holidays."""

from typing import Any

from django.db import migrations
from django.utils import timezone

NAME = "Horaires standard"
HOURS = [[day, "09:00", "18:00"] for day in range(5)]


def create_default(apps: Any, schema_editor: Any) -> None:
    calendar_model = apps.get_model("sla", "BusinessCalendar")
    version_model = apps.get_model("sla", "CalendarVersion")
    if calendar_model.objects.filter(is_default=True).exists():
        return
    calendar = calendar_model.objects.create(
        name=NAME,
        is_default=True,
        time_zone="Europe/Paris",
        holiday_region="",
        opening_hours=HOURS,
        version=1,
    )
    version_model.objects.create(
        calendar=calendar,
        number=1,
        created_at=timezone.now(),
        definition={
            "time_zone": "Europe/Paris",
            "holiday_subdivision": None,
            "opening_hours": HOURS,
            "closed_dates": [],
            "open_holidays": [],
        },
    )


def remove_default(apps: Any, schema_editor: Any) -> None:
    calendar_model = apps.get_model("sla", "BusinessCalendar")
    calendar_model.objects.filter(name=NAME, is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_business_calendars")]

    operations = [migrations.RunPython(create_default, remove_default)]
