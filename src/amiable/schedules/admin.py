"""Periodic jobs in the admin: when each ran and is next due, and its last error."""

from __future__ import annotations

from django.contrib import admin

from amiable.core.admin import AmiableAdmin
from amiable.schedules.models import ScheduleState


@admin.register(ScheduleState)
class ScheduleStateAdmin(AmiableAdmin):
    list_display = ("name", "next_run_at", "last_enqueued_at", "last_error")
