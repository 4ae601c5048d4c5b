"""Quality: the customer's confirmation that a case is solved, recurring root causes
(``Problem``) with their corrective action, and incidents grouping many cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.cases.models import Case, RootCause
from amiable.conversations.models import Interaction
from amiable.core.models import TimeStampedModel
from amiable.customers.models import Customer


class QualitySettings(models.Model):
    """The one row of quality settings (``quality_settings_get`` gives defaults)."""

    is_confirmation_enabled = models.BooleanField(
        _("ask customers to confirm the resolution"), default=True
    )
    confirmation_link_days = models.PositiveSmallIntegerField(
        _("confirmation links valid for (days)"), default=14
    )
    recurrence_threshold = models.PositiveSmallIntegerField(
        _("complaints with one root cause that open a problem"), default=5
    )
    recurrence_window_days = models.PositiveSmallIntegerField(
        _("within (days)"), default=7
    )
    recurrence_lookback_days = models.PositiveSmallIntegerField(
        _("the periodic scan looks back (days)"), default=90
    )
    fcr_repeat_window_days = models.PositiveSmallIntegerField(
        _("a repeat contact within (days) is not first-contact resolution"),
        default=7,
    )
    default_problem_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default owner of new problems"),
    )

    class Meta:
        verbose_name = _("quality settings")
        verbose_name_plural = _("quality settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(recurrence_threshold__gte=2)
                & Q(recurrence_window_days__gte=1)
                & Q(confirmation_link_days__gte=1),
                name="quality_settings_valid",
            )
        ]

    def __str__(self) -> str:
        return str(_("quality settings"))


class ConfirmationStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    SUPERSEDED = "superseded", _("Replaced (case reopened or resolved again)")
    NOT_SENT = "not_sent", _("Not sent (no email address)")


class FirstContact(models.TextChoices):
    YES = "yes", _("Yes, at the first contact")
    NO = "no", _("No, it took several contacts")
    UNKNOWN = "unknown", _("I don't know")


class ResolutionConfirmation(TimeStampedModel):
    """ "Is your problem solved?" asked once per resolution of a case, answered once
    through a signed, expiring link."""

    public_key = models.CharField(_("public key"), max_length=32, unique=True)
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="confirmations",
        verbose_name=_("case"),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("customer"),
    )
    resolved_at = models.DateTimeField(_("resolution it asks about"))
    language = models.CharField(_("language"), max_length=8, default="fr")
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ConfirmationStatus.choices,
        default=ConfirmationStatus.SENT,
    )
    expires_at = models.DateTimeField(_("link expires at"))
    is_solved = models.BooleanField(_("solved"), null=True, blank=True)
    first_contact = models.CharField(
        _("solved at the first contact"),
        max_length=8,
        choices=FirstContact.choices,
        blank=True,
    )
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("resolution confirmation")
        verbose_name_plural = _("resolution confirmations")
        indexes = [
            models.Index(fields=["case", "-created_at"], name="confirmation_case_idx"),
            models.Index(fields=["answered_at", "id"], name="confirmation_answer_idx"),
            models.Index(fields=["-created_at", "-id"], name="confirmation_list_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "resolved_at"], name="confirmation_once_per_resolution"
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | Q(is_solved__isnull=False),
                name="confirmation_answer_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"confirmation of case {self.case_id} ({self.status})"


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ActionStatus(models.TextChoices):
    TO_DEFINE = "to_define", _("To define")
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    VERIFIED = "verified", _("Done and verified effective")


class Problem(TimeStampedModel):
    """Complaints recurring with one root cause, and what is done about it.

    At most one open problem per root cause (a partial unique index): concurrent
    recurrence checks cannot open two."""

    title = models.CharField(_("title"), max_length=200)
    root_cause = models.ForeignKey(
        RootCause,
        on_delete=models.PROTECT,
        related_name="problems",
        verbose_name=_("root cause"),
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ProblemStatus.choices,
        default=ProblemStatus.OPEN,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_problems",
        verbose_name=_("owner"),
    )
    corrective_action = models.TextField(_("corrective action"), blank=True)
    action_status = models.CharField(
        _("action status"),
        max_length=12,
        choices=ActionStatus.choices,
        default=ActionStatus.TO_DEFINE,
    )
    action_due_on = models.DateField(_("action due on"), null=True, blank=True)
    window_start = models.DateTimeField(_("first complaint of the window"))
    window_end = models.DateTimeField(_("end of the window"))
    threshold = models.PositiveSmallIntegerField(_("threshold when opened"))
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            models.Index(fields=["-opened_at", "-id"], name="problem_opened_idx"),
            models.Index(
                fields=["status", "-opened_at", "-id"], name="problem_status_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["root_cause"],
                condition=Q(status="open"),
                name="problem_one_open_per_cause",
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="problem_version_pos"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProblemCase(models.Model):
    """A case counted in a problem; a case belongs to one problem at most."""

    problem = models.ForeignKey(
        Problem,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("problem"),
    )
    case = models.OneToOneField(
        Case,
        on_delete=models.CASCADE,
        related_name="problem_link",
        verbose_name=_("case"),
    )
    is_automatic = models.BooleanField(
        _("linked by the recurrence check"), default=True
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = _("case of a problem")
        verbose_name_plural = _("cases of problems")
        indexes = [models.Index(fields=["problem", "case"], name="problem_case_idx")]

    def __str__(self) -> str:
        return f"{self.problem_id}: {self.case_id}"


class IncidentKind(models.TextChoices):
    OUTAGE = "outage", _("Outage")
    SHIPMENT_DELAY = "shipment_delay", _("Delayed shipments")
    PRODUCT_DEFECT = "product_defect", _("Product defect")
    OTHER = "other", _("Other")


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Incident(TimeStampedModel):
    """One event that hurts many customers at once (an outage, a delayed batch)."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=IncidentKind.choices,
        default=IncidentKind.OTHER,
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=IncidentStatus.choices,
        default=IncidentStatus.OPEN,
    )
    started_at = models.DateTimeField(_("started at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_incidents",
        verbose_name=_("owner"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    root_cause = models.ForeignKey(
        RootCause,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
        verbose_name=_("root cause"),
    )
    resolution_summary = models.TextField(_("resolution summary"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            models.Index(fields=["-started_at", "-id"], name="incident_started_idx"),
            models.Index(
                fields=["status", "-started_at", "-id"], name="incident_status_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(version__gte=1), name="incident_version_pos"
            )
        ]

    def __str__(self) -> str:
        return self.title


class IncidentCase(models.Model):
    """A case caused by an incident; a case belongs to one incident at most."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="links",
        verbose_name=_("incident"),
    )
    case = models.OneToOneField(
        Case,
        on_delete=models.CASCADE,
        related_name="incident_link",
        verbose_name=_("case"),
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )
    linked_at = models.DateTimeField(_("linked at"))

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = _("case of an incident")
        verbose_name_plural = _("cases of incidents")
        indexes = [models.Index(fields=["incident", "case"], name="incident_case_idx")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.case_id}"


class BulkKind(models.TextChoices):
    REPLY = "reply", _("Reply to all")
    RESOLVE = "resolve", _("Resolve all")


class BulkStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class IncidentBulkAction(TimeStampedModel):
    """A reply to, or the resolution of, every case of an incident, run in the
    background one case at a time (each in its own transaction, once per case)."""

    incident = models.ForeignKey(
        Incident,
        on_delete=models.CASCADE,
        related_name="bulk_actions",
        verbose_name=_("incident"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=BulkKind.choices)
    body_fr = models.TextField(_("message in French"), blank=True)
    body_en = models.TextField(_("message in English"), blank=True)
    is_waiting_for_customer = models.BooleanField(
        _("then wait for the customer"), default=False
    )
    summary = models.TextField(_("resolution summary"), blank=True)
    root_cause = models.ForeignKey(
        RootCause,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("root cause"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=BulkStatus.choices, default=BulkStatus.QUEUED
    )
    done_count = models.PositiveIntegerField(_("done"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bulk action on an incident")
        verbose_name_plural = _("bulk actions on incidents")

    def __str__(self) -> str:
        return f"{self.kind} on incident {self.incident_id}"


class BulkOutcome(models.TextChoices):
    DONE = "done", _("Done")
    SKIPPED = "skipped", _("Skipped")
    FAILED = "failed", _("Failed")


class IncidentBulkResult(models.Model):
    action = models.ForeignKey(
        IncidentBulkAction,
        on_delete=models.CASCADE,
        related_name="results",
        verbose_name=_("bulk action"),
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    outcome = models.CharField(_("outcome"), max_length=8, choices=BulkOutcome.choices)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    processed_at = models.DateTimeField(_("processed at"))

    class Meta:
        ordering = ["processed_at", "id"]
        verbose_name = _("bulk action result")
        verbose_name_plural = _("bulk action results")
        constraints = [
            models.UniqueConstraint(
                fields=["action", "case"], name="bulk_result_once_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_id}/{self.case_id}: {self.outcome}"
