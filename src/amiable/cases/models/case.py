"""Cases: questions, requests, complaints and disputes, and their reference sequence."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Team
from amiable.cases.models.taxonomy import RootCause
from amiable.commerce.models import Order
from amiable.core.models import TimeStampedModel
from amiable.customers.models import Customer, Tag


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


class SlaState(models.TextChoices):
    """Where the case's running SLA clocks stand, worst first; empty when no clock
    runs (no policy matched, or every clock stopped)."""

    NONE = "", _("No running clock")
    BREACHED = "breached", _("Breached")
    AT_RISK = "at_risk", _("At risk")
    ON_TRACK = "on_track", _("On track")
    PAUSED = "paused", _("Paused")


class EscalationLevel(models.IntegerChoices):
    AGENT = 0, _("Agent")
    SUPERVISOR = 1, _("Supervisor")
    QUALITY_MANAGER = 2, _("Quality manager")
    MEDIATOR = 3, _("Consumer mediator")
    LEGAL = 4, _("Legal")


OPEN_STATUSES = (
    CaseStatus.NEW,
    CaseStatus.OPEN,
    CaseStatus.WAITING_CUSTOMER,
    CaseStatus.WAITING_THIRD_PARTY,
)


# Index conditions, repeated verbatim by the queries that use them.
IS_OPEN = Q(status__in=OPEN_STATUSES)
ESCALATED = Q(escalation_level__gt=0)


class CaseSequence(models.Model):
    """The last number handed out per year; references are never reused."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("case sequence")
        verbose_name_plural = _("case sequences")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


def _label(choices: type[models.TextChoices], value: str) -> str:
    """The translated label of ``value`` among ``choices``; an unknown value as is."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


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
    tags = models.ManyToManyField(
        Tag,
        through="cases.CaseTag",
        blank=True,
        related_name="cases",
        verbose_name=_("tags"),
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
    # SLA: the policy and calendar version the clocks were started with (the clocks
    # themselves, one per metric, are SlaClock rows), and a summary for the inbox.
    # System-maintained: changing them does not bump ``version``.
    sla_policy = models.ForeignKey(
        "cases.SlaPolicy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("SLA policy"),
    )
    sla_calendar = models.ForeignKey(
        "sla.CalendarVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("business calendar version"),
    )
    sla_state = models.CharField(
        _("SLA state"),
        max_length=10,
        choices=SlaState.choices,
        default=SlaState.NONE,
        blank=True,
    )
    sla_due_at = models.DateTimeField(_("next SLA due time"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"),
        choices=EscalationLevel.choices,
        default=EscalationLevel.AGENT,
    )
    escalation_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="escalated_cases",
        verbose_name=_("escalation owner"),
    )
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
            # The inbox's "at risk" / "breached" filters and the escalation queues.
            models.Index(
                fields=["sla_state", "-last_activity_at", "-id"],
                name="case_sla_state_idx",
            ),
            # The inbox's escalation filter walks escalated cases by activity (a
            # partial index: SQLite uses it because the queries repeat its integer
            # condition, ESCALATED; it cannot for conditions on strings, so the
            # indexes below are whole).
            models.Index(
                fields=["escalation_level", "-last_activity_at", "-id"],
                name="case_escalation_idx",
                condition=ESCALATED,
            ),
            # The queues and their badges: open cases of a level (and team) are a
            # few index seeks, however many escalated cases were closed before.
            models.Index(
                fields=[
                    "escalation_level",
                    "team",
                    "status",
                    "-last_activity_at",
                    "-id",
                ],
                name="case_escalation_queue_idx",
            ),
            # Workload and least-loaded assignment count open cases per agent, and
            # the open cases nobody handles (assignee NULL), from the index alone.
            models.Index(
                fields=["assignee", "status", "team", "sla_state", "escalation_level"],
                name="case_load_idx",
            ),
            # Closing resolved cases after N days reads resolved cases by age.
            models.Index(fields=["status", "resolved_at"], name="case_resolved_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(version__gte=1), name="case_version_pos"
            ),
            models.CheckConstraint(
                condition=Q(escalation_level__lte=EscalationLevel.LEGAL),
                name="case_escalation_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    # Django's generated get_FOO_display rebuilds a dict of every (lazy) choice on
    # each call; an inbox page calls these a hundred times. One enum lookup each.
    def get_kind_display(self) -> str:  # type: ignore[no-redef]
        return _label(CaseKind, self.kind)

    def get_priority_display(self) -> str:  # type: ignore[no-redef]
        return _label(CasePriority, self.priority)

    def get_status_display(self) -> str:  # type: ignore[no-redef]
        return _label(CaseStatus, self.status)

    def get_sla_state_display(self) -> str:  # type: ignore[no-redef]
        return _label(SlaState, self.sla_state)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
