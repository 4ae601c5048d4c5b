"""Background work that survives a crash: the heartbeat of each task worker (so the
tasks of a dead worker are found and retried) and import jobs processed in batches.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running ``amiable worker``: it renews ``beat_at`` every few seconds. A row
    whose ``beat_at`` is older than the lease belongs to a worker that died."""

    worker_id = models.CharField(_("worker id"), max_length=64, unique=True)
    hostname = models.CharField(_("host name"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        ordering = ["-beat_at"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """A long import (a carrier CSV, an e-mail archive…) run by a task in batches.

    Each batch commits its rows together with ``rows_done``, so a crashed run
    resumes after the last committed batch. ``kind`` names the registered
    ``ImportKind`` that reads the source and processes each batch.
    """

    kind = models.CharField(_("kind"), max_length=64)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ImportState.choices,
        default=ImportState.QUEUED,
    )
    source = models.FileField(_("source file"), upload_to="imports/%Y/%m/")
    source_name = models.CharField(_("file name"), max_length=255, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"))
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    batch_size = models.PositiveIntegerField(_("rows per batch"))
    counts = models.JSONField(_("counts"), default=dict)
    row_errors = models.JSONField(_("errors by line"), default=list)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    failure = models.CharField(_("failure"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [
            models.Index(fields=["kind", "-created_at"], name="import_job_kind_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="import_job_done_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(batch_size__gt=0),
                name="import_job_batch_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def percent(self) -> int:
        if self.rows_total == 0:
            return 100
        return self.rows_done * 100 // self.rows_total

    @property
    def is_finished(self) -> bool:
        return self.state in {ImportState.SUCCEEDED, ImportState.FAILED}
