"""Promises made to customers, each transition of their life, the warning
policies, and the warnings sent before a promise slips."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amiable.accounts.models import Team
from amiable.cases.models import Case
from amiable.commerce.models import Order
from amiable.conversations.models import Interaction
from amiable.core.models import TimeStampedModel
from amiable.customers.models import Customer


class PromiseKind(models.TextChoices):
    DELIVERY = "delivery", _("Delivery")
    REFUND = "refund", _("Refund")
    CALLBACK = "callback", _("Callback")
    REPLACEMENT = "replacement", _("Replacement")
    REPAIR = "repair", _("Repair")
    INFORMATION = "information", _("Information")
    CUSTOM = "custom", _("Other")


class PromiseState(models.TextChoices):
    # A context of their own: "Open" or "Cancelled" of a case or an order are
    # translated differently (a promise is feminine in French).
    OPEN = "open", pgettext_lazy("promise state", "Open")
    AT_RISK = "at_risk", pgettext_lazy("promise state", "At risk")
    KEPT = "kept", pgettext_lazy("promise state", "Kept")
    BROKEN = "broken", pgettext_lazy("promise state", "Broken")
    RENEGOTIATED = "renegotiated", pgettext_lazy("promise state", "Renegotiated")
    CANCELLED = "cancelled", pgettext_lazy("promise state", "Cancelled")


# A promise in one of these states can still be kept, broken or renegotiated.
LIVE_STATES = (PromiseState.OPEN, PromiseState.AT_RISK, PromiseState.RENEGOTIATED)
CLOSED_STATES = (PromiseState.KEPT, PromiseState.BROKEN, PromiseState.CANCELLED)


class PromiseSource(models.TextChoices):
    AGENT = "agent", _("An agent")
    POLICY = "policy", _("A policy")
    SYSTEM = "system", _("The system")


class RiskReason(models.TextChoices):
    NONE = "", _("None")
    DUE_SOON = "due_soon", _("Due soon with no progress")
    TRACKING_SILENT = "tracking_silent", _("No tracking event for several days")
    CARRIER_EXCEPTION = "carrier_exception", _("Carrier exception")


class Promise(TimeStampedModel):
    """One commitment to a customer, with the time it is due.

    ``original_due_at`` is what was first promised; ``due_at`` the current due time
    (later after a renegotiation). ``fulfilled_at`` is when its evidence arrived
    (a delivery, a refund, a call), even late: a promise fulfilled after its due
    time is broken, and the gap is measured."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="promises",
        verbose_name=_("customer"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("case"),
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("order"),
    )
    kind = models.CharField(_("type"), max_length=12, choices=PromiseKind.choices)
    description = models.CharField(_("what was promised"), max_length=500)
    source = models.CharField(_("made by"), max_length=8, choices=PromiseSource.choices)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises_made",
        verbose_name=_("agent"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="promises",
        verbose_name=_("team"),
    )
    channel = models.CharField(_("channel"), max_length=10, blank=True)
    made_at = models.DateTimeField(_("made at"))
    original_due_at = models.DateTimeField(_("first due time"))
    due_at = models.DateTimeField(_("due time"))
    expected_at = models.DateTimeField(_("expected time"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=PromiseState.choices,
        default=PromiseState.OPEN,
    )
    state_changed_at = models.DateTimeField(_("state changed at"))
    risk_reason = models.CharField(
        _("risk"), max_length=20, choices=RiskReason.choices, blank=True
    )
    fulfilled_at = models.DateTimeField(_("fulfilled at"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)
    renegotiation_count = models.PositiveSmallIntegerField(
        _("renegotiations"), default=0
    )
    rule_code = models.CharField(_("legal rule"), max_length=60, blank=True)
    article = models.CharField(_("article"), max_length=120, blank=True)
    carrier = models.CharField(_("carrier"), max_length=60, blank=True)
    category = models.CharField(_("category"), max_length=80, blank=True)
    # Automatic promises are made once per source ("order:12:delivery").
    source_key = models.CharField(_("source key"), max_length=200, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"],
                condition=~Q(source_key=""),
                name="promise_source_unique",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("made_at")),
                name="promise_due_after_made",
            ),
        ]
        indexes = [
            # The scan: live promises by due time.
            models.Index(
                fields=["state", "due_at", "id"], name="promise_state_due_idx"
            ),
            models.Index(fields=["case", "due_at"], name="promise_case_idx"),
            models.Index(fields=["order", "kind"], name="promise_order_idx"),
            models.Index(
                fields=["customer", "due_at", "id"], name="promise_customer_idx"
            ),
            # History for the realistic due date and the kept-rates.
            models.Index(
                fields=["kind", "state", "state_changed_at"], name="promise_kind_idx"
            ),
            models.Index(
                fields=["made_by", "state", "state_changed_at"],
                name="promise_agent_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} due {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_STATES

    @property
    def was_renegotiated(self) -> bool:
        return self.due_at != self.original_due_at


class PromiseTransition(models.Model):
    """One step in a promise's life (made, at risk, renegotiated, kept…): the
    promise's history, audited, and mirrored on the timelines."""

    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name=_("promise"),
    )
    from_state = models.CharField(_("from"), max_length=12, blank=True)
    to_state = models.CharField(_("to"), max_length=12)
    occurred_at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    previous_due_at = models.DateTimeField(_("previous due time"), null=True)
    due_at = models.DateTimeField(_("due time"))
    is_customer_told = models.BooleanField(_("customer told"), default=False)
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("timeline line"),
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("promise transition")
        verbose_name_plural = _("promise transitions")
        indexes = [
            models.Index(fields=["promise", "occurred_at"], name="promise_step_idx")
        ]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"


class WarningPolicy(TimeStampedModel):
    """When and how to warn a customer before a promise of a type slips."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    kind = models.CharField(
        _("promise type (empty: any)"),
        max_length=12,
        choices=PromiseKind.choices,
        blank=True,
    )
    lead_hours = models.PositiveIntegerField(
        _("at risk this many hours before the due time"), default=48
    )
    silence_days = models.PositiveSmallIntegerField(
        _("at risk after this many days without a tracking event"), default=3
    )
    channel = models.CharField(_("warn on channel"), max_length=10, default="email")
    extension_days = models.PositiveSmallIntegerField(
        _("days added to the due time when history says nothing"), default=3
    )
    is_owner_notified = models.BooleanField(_("notify the owning agent"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("warning policy")
        verbose_name_plural = _("warning policies")

    def __str__(self) -> str:
        return self.name


class PromiseWarning(models.Model):
    """One warning sent to a customer about one slip: a promise and the due time
    it was about to miss. The unique key makes a second send impossible."""

    promise = models.ForeignKey(
        Promise,
        on_delete=models.CASCADE,
        related_name="warnings",
        verbose_name=_("promise"),
    )
    policy = models.ForeignKey(
        WarningPolicy,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("policy"),
    )
    slip_key = models.CharField(_("slip"), max_length=120, unique=True)
    due_at = models.DateTimeField(_("due time it was about to miss"))
    expected_at = models.DateTimeField(_("new expected time"))
    channel = models.CharField(_("channel"), max_length=10)
    interaction = models.ForeignKey(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("message"),
    )
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("promise warning")
        verbose_name_plural = _("promise warnings")

    def __str__(self) -> str:
        return self.slip_key
