"""SLA policies and each case's clocks.

A policy matches cases by kind, priority, opening channel and customer tier (blank:
any) and sets business-time targets. When a case opens, the first matching active
policy (lowest position) starts its clocks on the team's business calendar: one
``SlaClock`` per metric, plus one next-response clock per customer message awaiting
an answer. ``SlaPause`` rows record when the clocks stood still (waiting on the
customer, on a third party if the policy says so, or resolved until a reopen).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.cases.models.case import Case, CaseKind, CasePriority
from amiable.conversations.models import Channel
from amiable.core.models import TimeStampedModel
from amiable.customers.models import CustomerTier


class SlaPolicy(TimeStampedModel):
    name = models.CharField(_("name"), max_length=120, unique=True)
    position = models.PositiveIntegerField(
        _("position"),
        default=100,
        help_text=_("Policies are tried in this order; the first match applies."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CaseKind.choices, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=CasePriority.choices, blank=True
    )
    channel = models.CharField(
        _("opening channel"), max_length=10, choices=Channel.choices, blank=True
    )
    customer_tier = models.CharField(
        _("customer tier"), max_length=10, choices=CustomerTier.choices, blank=True
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response target (business minutes)"), null=True, blank=True
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response target (business minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution target (business minutes)"), null=True, blank=True
    )
    at_risk_percent = models.PositiveSmallIntegerField(
        _("at risk from (% of the target elapsed)"), default=75
    )
    pauses_on_third_party = models.BooleanField(
        _("pause while waiting on a third party"), default=False
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(at_risk_percent__gte=1, at_risk_percent__lte=99),
                name="sla_policy_at_risk_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(first_response_minutes__gt=0)
                | Q(first_response_minutes__isnull=True),
                name="sla_policy_first_response_positive",
            ),
            models.CheckConstraint(
                condition=Q(next_response_minutes__gt=0)
                | Q(next_response_minutes__isnull=True),
                name="sla_policy_next_response_positive",
            ),
            models.CheckConstraint(
                condition=Q(resolution_minutes__gt=0)
                | Q(resolution_minutes__isnull=True),
                name="sla_policy_resolution_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SlaMetric(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    NEXT_RESPONSE = "next_response", _("Next response")
    RESOLUTION = "resolution", _("Resolution")


class SlaClockState(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class SlaClock(models.Model):
    """One target on one case. ``due_at`` and ``risk_at`` are recomputed whenever the
    case pauses or resumes (None while paused); ``breached_at`` is the instant the
    target was missed, ``at_risk_at`` when the scan flagged it."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="sla_clocks",
        verbose_name=_("case"),
    )
    metric = models.CharField(_("metric"), max_length=16, choices=SlaMetric.choices)
    state = models.CharField(
        _("state"),
        max_length=8,
        choices=SlaClockState.choices,
        default=SlaClockState.RUNNING,
    )
    started_at = models.DateTimeField(_("started at"))
    target_seconds = models.PositiveIntegerField(_("target (business seconds)"))
    at_risk_percent = models.PositiveSmallIntegerField(_("at risk from (%)"))
    due_at = models.DateTimeField(_("due at"), null=True, blank=True)
    risk_at = models.DateTimeField(_("at risk from"), null=True, blank=True)
    at_risk_at = models.DateTimeField(_("flagged at risk at"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached at"), null=True, blank=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)
    elapsed_seconds = models.PositiveIntegerField(
        _("business seconds used"), null=True, blank=True
    )

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("SLA clock")
        verbose_name_plural = _("SLA clocks")
        indexes = [
            models.Index(fields=["case", "metric"], name="sla_clock_case_idx"),
            # The periodic scan: running clocks past their due or at-risk time.
            models.Index(fields=["state", "due_at"], name="sla_clock_due_idx"),
            models.Index(fields=["state", "risk_at"], name="sla_clock_risk_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "metric"],
                condition=~Q(state="stopped"),
                name="sla_clock_one_live_per_metric",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.metric} {self.state}"

    @property
    def is_breached(self) -> bool:
        return self.breached_at is not None

    @property
    def is_met(self) -> bool:
        return self.state == SlaClockState.STOPPED and self.breached_at is None


class SlaPauseReason(models.TextChoices):
    WAITING_CUSTOMER = "waiting_customer", _("Waiting on the customer")
    WAITING_THIRD_PARTY = "waiting_third_party", _("Waiting on a third party")
    RESOLVED = "resolved", _("Resolved")


class SlaPause(models.Model):
    """A span during which the case's clocks stood still (open while ``ended_at``
    is None; at most one open per case)."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="sla_pauses",
        verbose_name=_("case"),
    )
    reason = models.CharField(
        _("reason"), max_length=20, choices=SlaPauseReason.choices
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        ordering = ["started_at", "id"]
        verbose_name = _("SLA pause")
        verbose_name_plural = _("SLA pauses")
        indexes = [models.Index(fields=["case", "started_at"], name="sla_pause_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(ended_at__isnull=True),
                name="sla_pause_one_open_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason} {self.started_at:%Y-%m-%d %H:%M}"
