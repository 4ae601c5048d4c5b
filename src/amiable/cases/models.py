"""Cases: questions, requests, complaints and disputes, and their reference sequence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Team
from amiable.commerce.models import Order
from amiable.core.models import TimeStampedModel
from amiable.customers.models import Customer


class CaseKind(models.TextChoices):
    QUESTION = "question", _("Question")
    REQUEST = "request", _("Request")
    COMPLAINT = "complaint", _("Complaint")
    DISPUTE = "dispute", _("Dispute")


class CasePriority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class CaseStatus(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING_CUSTOMER = "waiting_customer", _("Waiting on customer")
    WAITING_THIRD_PARTY = "waiting_third_party", _("Waiting on third party")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (
    CaseStatus.NEW,
    CaseStatus.OPEN,
    CaseStatus.WAITING_CUSTOMER,
    CaseStatus.WAITING_THIRD_PARTY,
)


class CaseSequence(models.Model):
    """The last number handed out per year; references are never reused."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case sequence")
        verbose_name_plural = _("case sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Case(TimeStampedModel):
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("customer"),
    )
    subject = models.CharField(_("subject"), max_length=255)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CaseKind.choices, default=CaseKind.QUESTION
    )
    category = models.CharField(_("category"), max_length=80, blank=True)
    priority = models.CharField(
        _("priority"),
        max_length=8,
        choices=CasePriority.choices,
        default=CasePriority.NORMAL,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW
    )
    channel = models.CharField(_("opening channel"), max_length=10, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("team"),
    )
    orders = models.ManyToManyField(
        Order, blank=True, related_name="cases", verbose_name=_("orders")
    )
    opened_at = models.DateTimeField(_("opened at"))
    first_responded_at = models.DateTimeField(
        _("first responded at"), null=True, blank=True
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity at"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-last_activity_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="case_activity_idx"),
            models.Index(
                fields=["status", "-last_activity_at", "-id"], name="case_status_idx"
            ),
            # Team and assignee filters come alone or with several statuses (the
            # agent's "open" view): ordered by activity inside the key, a page is an
            # index walk, never a sort of the team's whole history.
            models.Index(
                fields=["assignee", "-last_activity_at", "-id"],
                name="case_assignee_activity_idx",
            ),
            models.Index(
                fields=["team", "-last_activity_at", "-id"],
                name="case_team_activity_idx",
            ),
            models.Index(
                fields=["kind", "status", "-last_activity_at", "-id"],
                name="case_kind_idx",
            ),
            models.Index(
                fields=["priority", "status", "-last_activity_at", "-id"],
                name="case_priority_idx",
            ),
            models.Index(fields=["-opened_at", "-id"], name="case_opened_idx"),
            models.Index(fields=["customer", "-opened_at"], name="case_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_pos")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SavedView(TimeStampedModel):
    """A user's named inbox filter, stored as the inbox query string."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(_("query string"), max_length=1000)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], name="saved_view_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
