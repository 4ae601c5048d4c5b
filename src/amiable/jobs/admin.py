"""Workers and import jobs in the admin, read-only: which workers beat when, and
how far each import got."""

from __future__ import annotations

from django.contrib import admin

from amiable.core.admin import AmiableAdmin
from amiable.jobs.models import ImportJob, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(AmiableAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "beat_at")


@admin.register(ImportJob)
class ImportJobAdmin(AmiableAdmin):
    list_display = (
        "id",
        "kind",
        "state",
        "source_name",
        "rows_done",
        "rows_total",
        "error_count",
        "created_at",
        "finished_at",
    )
    list_filter = ("state",)
    raw_id_fields = ("created_by",)
