"""Data-subject requests: a person's export or erasure, tracked against the legal
one-month clock (GDPR art. 12(3))."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.customers.models import Customer


class RequestKind(models.TextChoices):
    EXPORT = "export", _("Export of personal data")
    ERASURE = "erasure", _("Erasure (anonymisation)")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RequestSource(models.TextChoices):
    STAFF = "staff", _("Staff")
    PORTAL = "portal", _("Customer portal")
    RETENTION = "retention", _("Retention policy")


OPEN_STATUSES = (RequestStatus.PENDING, RequestStatus.RUNNING)


def archive_path(instance: DataRequest, filename: str) -> str:
    return f"privacy/exports/{instance.archive_key}.zip"


class DataRequest(models.Model):
    """One export or erasure of one customer (and the customers merged into it).

    ``steps_done`` lists the sections already handled, so a retried task resumes
    after the last one; ``kept`` is the note of what an erasure kept and why."""

    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
    )
    source = models.CharField(_("source"), max_length=10, choices=RequestSource.choices)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="data_requests",
        verbose_name=_("customer"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    policy = models.CharField(_("retention policy"), max_length=40, blank=True)
    requested_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("legal due date"))
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    steps_total = models.PositiveSmallIntegerField(_("steps"), default=0)
    steps_done = models.JSONField(_("steps done"), default=list, blank=True)
    changed = models.JSONField(_("rows changed"), default=dict, blank=True)
    kept = models.JSONField(_("kept records"), default=list, blank=True)
    archive_key = models.CharField(_("archive key"), max_length=64, blank=True)
    archive = models.FileField(
        _("archive"), upload_to=archive_path, max_length=255, blank=True
    )
    archive_size = models.PositiveBigIntegerField(_("archive size"), default=0)
    expires_at = models.DateTimeField(_("download until"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        indexes = [
            models.Index(
                fields=["customer", "-requested_at", "-id"],
                name="datarequest_customer_idx",
            ),
            models.Index(fields=["-requested_at", "-id"], name="datarequest_list_idx"),
            models.Index(
                fields=["expires_at"],
                name="datarequest_archive_idx",
                condition=~Q(archive=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} of customer #{self.customer_id}"

    @property
    def progress_percent(self) -> int:
        if self.status == RequestStatus.DONE:
            return 100
        if not self.steps_total:
            return 0
        return min(99, round(100 * len(self.steps_done) / self.steps_total))
