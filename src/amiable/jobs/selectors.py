"""Reads of import jobs, scoped by who may follow each kind of import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from amiable.core.errors import NotFoundError, PermissionDeniedError
from amiable.jobs.models import ImportJob
from amiable.jobs.registry import import_kind_get

if TYPE_CHECKING:
    from amiable.accounts.models import User


def import_job_get(*, actor: User, job_id: int, kind: str | None = None) -> ImportJob:
    """The import job ``job_id`` (of ``kind`` when given) if ``actor`` may follow
    it. Raises NotFoundError, and PermissionDeniedError for a role that may not."""
    queryset = ImportJob.objects.all()
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    job = queryset.filter(pk=job_id).first()
    registered = import_kind_get(job.kind) if job is not None else None
    if job is None or registered is None:
        raise NotFoundError(_("This import does not exist."))
    if not registered.may_view(actor):
        raise PermissionDeniedError(_("You may not follow this import."))
    return job


def import_job_data(job: ImportJob) -> dict[str, Any]:
    """The job as ``ImportJobOut`` reads it."""
    return {
        "id": job.pk,
        "kind": job.kind,
        "state": job.state,
        "source_name": job.source_name,
        "rows_total": job.rows_total,
        "rows_done": job.rows_done,
        "percent": job.percent,
        "counts": job.counts,
        "error_count": job.error_count,
        "errors": job.row_errors,
        "failure": job.failure,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "url": reverse("jobs:import_detail", args=[job.pk]),
    }
