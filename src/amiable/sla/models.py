"""Business calendars: when a team is open, stored and versioned.

A calendar is a time zone, weekly opening intervals (several a day, for a lunch
break), a French holiday region and dated exceptions (extra closed days, holidays
worked anyway). Every change through ``calendar_save`` bumps ``version`` and stores a
``CalendarVersion`` snapshot; SLA clocks keep the version they were computed with, so
editing a calendar never silently moves past due times.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Team
from amiable.core.models import TimeStampedModel


class HolidayRegion(models.TextChoices):
    """The French public-holiday lists a team may follow (``holidays`` package codes;
    Alsace-Moselle is "57" for Moselle and "6AE" for Alsace, the same 13 days)."""

    NATIONAL = "", _("France (national list)")
    MOSELLE = "57", _("Alsace-Moselle: Moselle (57)")
    ALSACE = "6AE", _("Alsace-Moselle: Bas-Rhin and Haut-Rhin (67, 68)")
    GUADELOUPE = "971", _("Guadeloupe")
    MARTINIQUE = "972", _("Martinique")
    GUYANE = "973", _("French Guiana")
    REUNION = "974", _("Réunion")
    MAYOTTE = "976", _("Mayotte")


class BusinessCalendar(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    team = models.OneToOneField(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="business_calendar",
        verbose_name=_("team"),
    )
    is_default = models.BooleanField(
        _("default calendar"),
        default=False,
        help_text=_("Used for teams without a calendar of their own."),
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    holiday_region = models.CharField(
        _("public holidays"),
        max_length=8,
        choices=HolidayRegion.choices,
        default=HolidayRegion.NATIONAL,
        blank=True,
    )
    # [[weekday 0-6, "HH:MM", "HH:MM"], ...]; an end of "00:00" is midnight.
    opening_hours = models.JSONField(_("opening hours"), default=list)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="business_calendar_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name


class CalendarException(models.Model):
    """A dated exception: closed that day (bridge day, inventory) or open on a
    public holiday (Whit Monday as the solidarity day)."""

    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="exceptions",
        verbose_name=_("calendar"),
    )
    day = models.DateField(_("day"))
    is_open = models.BooleanField(_("open on this holiday"), default=False)
    label = models.CharField(_("label"), max_length=120, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "day"], name="calendar_exception_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {'open' if self.is_open else 'closed'}"


class CalendarVersion(models.Model):
    """An immutable snapshot of a calendar (see ``amiable.sla.definitions``)."""

    calendar = models.ForeignKey(
        BusinessCalendar,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("calendar"),
    )
    number = models.PositiveIntegerField(_("version"))
    definition = models.JSONField(_("definition"))
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["calendar", "-number"]
        verbose_name = _("calendar version")
        verbose_name_plural = _("calendar versions")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar", "number"], name="calendar_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.calendar_id} v{self.number}"
