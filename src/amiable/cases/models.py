"""Cases: questions, requests, complaints and disputes, and their reference sequence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Team
from amiable.commerce.models import Order
from amiable.core.models import TimeStampedModel
from amiable.core.money import amount_field, currency_field
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


class RootCause(TimeStampedModel):
    """The configurable taxonomy of why things went wrong (two levels: a family such
    as "Delivery" and its causes such as "Carrier delay"). Names in both languages,
    because administrators type them."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("family"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")

    def __str__(self) -> str:
        return self.code

    def name_in(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_fr


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
    resolution_summary = models.TextField(_("resolution summary"), blank=True)
    root_cause = models.ForeignKey(
        RootCause,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("root cause"),
    )
    reopened_count = models.PositiveIntegerField(_("times reopened"), default=0)
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
            models.Index(
                fields=["root_cause", "-opened_at"], name="case_root_cause_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_pos")
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CostKind(models.TextChoices):
    GESTURE = "gesture", _("Commercial gesture")
    POSTAGE = "postage", _("Postage")
    REGISTERED_LETTER = "registered_letter", _("Registered letter")
    LEGAL_FEES = "legal_fees", _("Legal fees")
    MEDIATOR_FEES = "mediator_fees", _("Mediator fees")
    OTHER = "other", _("Other")


class CaseCost(TimeStampedModel):
    """One cost a case caused. Staff time is not stored here: it is computed from the
    time spent recorded on the case's interactions (``case_cost_summary``)."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="costs",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=CostKind.choices)
    amount = amount_field(_("amount"))
    currency = currency_field(_("currency"))
    description = models.CharField(_("description"), max_length=255, blank=True)
    incurred_at = models.DateTimeField(_("incurred at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # What caused the cost, e.g. "gestures.gesture:42": one entry per source.
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["incurred_at", "id"]
        verbose_name = _("case cost")
        verbose_name_plural = _("case costs")
        indexes = [
            models.Index(fields=["case", "incurred_at"], name="case_cost_case_idx"),
            models.Index(fields=["kind", "incurred_at"], name="case_cost_kind_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "source"],
                condition=~Q(source=""),
                name="case_cost_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="case_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.amount} {self.currency}"


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
