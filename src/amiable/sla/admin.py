"""Admin of business calendars: hours and exceptions typed as short text, saved
through ``calendar_save`` (a new version each time, audited)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import User
from amiable.core.admin import AmiableAdmin, ReadOnlyTabularInline, is_admin_user
from amiable.sla.calendars import holiday_subdivision
from amiable.sla.definitions import (
    CalendarExceptionDay,
    definition_of,
    format_exceptions,
    format_opening_hours,
    hours_from_json,
    parse_exceptions,
    parse_opening_hours,
)
from amiable.sla.models import BusinessCalendar, CalendarVersion
from amiable.sla.services import calendar_save

HOURS_HELP = _(
    "One line per group of days, e.g. “mon-fri 09:00-12:30 13:30-18:00” then "
    "“sat 09:00-12:00”."
)
EXCEPTIONS_HELP = _(
    "One line per day, e.g. “2026-05-15 closed Bridge day” or “2026-05-25 open "
    "Solidarity day” (open on a public holiday)."
)


class BusinessCalendarForm(ModelForm):  # type: ignore[type-arg]
    hours = forms.CharField(
        label=_("Opening hours"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=HOURS_HELP,
    )
    exception_days = forms.CharField(
        label=_("Exceptions"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=EXCEPTIONS_HELP,
    )

    class Meta:
        model = BusinessCalendar
        fields = ("name", "team", "is_default", "time_zone", "holiday_region")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["hours"] = format_opening_hours(
                hours_from_json(self.instance.opening_hours)
            )
            self.initial["exception_days"] = format_exceptions(
                [
                    CalendarExceptionDay(e.day, e.is_open, e.label)
                    for e in self.instance.exceptions.all()
                ]
            )
        else:
            self.initial.setdefault("hours", "mon-fri 09:00-18:00")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            data["parsed_hours"] = parse_opening_hours(data.get("hours", ""))
        except ValueError as error:
            self.add_error("hours", str(error))
            return data
        try:
            data["parsed_exceptions"] = parse_exceptions(data.get("exception_days", ""))
        except ValueError as error:
            self.add_error("exception_days", str(error))
            return data
        try:
            definition_of(
                time_zone=data.get("time_zone", ""),
                holiday_subdivision=holiday_subdivision(
                    data.get("holiday_region") or None
                ),
                opening_hours=data["parsed_hours"],
                exceptions=data["parsed_exceptions"],
            )
        except ValueError as error:
            self.add_error(None, str(error))
        return data


class CalendarVersionInline(ReadOnlyTabularInline):
    model = CalendarVersion
    fields = ("number", "created_at", "created_by")
    readonly_fields = ("number", "created_at", "created_by")
    show_change_link = False


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(AmiableAdmin):
    form = BusinessCalendarForm
    list_display = (
        "name",
        "team",
        "is_default",
        "time_zone",
        "holiday_region",
        "version",
    )
    list_select_related = ("team",)
    inlines = [CalendarVersionInline]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_admin_user(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_admin_user(request)

    def save_model(
        self,
        request: HttpRequest,
        obj: BusinessCalendar,
        form: ModelForm[BusinessCalendar],
        change: bool,
    ) -> None:
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - the admin requires a staff user
        data = form.cleaned_data
        saved = calendar_save(
            actor=user,
            calendar=obj if change else None,
            name=data["name"],
            time_zone=data["time_zone"],
            holiday_region=data["holiday_region"],
            opening_hours=data["parsed_hours"],
            exceptions=data["parsed_exceptions"],
            team=data.get("team"),
            is_default=data.get("is_default", False),
        )
        obj.pk = saved.pk
        obj.version = saved.version
