"""Gestures, their approval steps and their delivery to the shop or ERP."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Role, Team
from amiable.cases.models import Case
from amiable.commerce.models import Order, OrderLine
from amiable.core.models import TimeStampedModel
from amiable.core.money import amount_field, currency_field
from amiable.customers.models import Customer
from amiable.gestures.models.catalogue import (
    Budget,
    DeliveryStatus,
    GestureReason,
    GestureStatus,
    GestureType,
    StepDecision,
)


class Gesture(TimeStampedModel):
    """One commercial gesture to one customer: requested, maybe approved, applied."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="gestures",
        verbose_name=_("customer"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gestures",
        verbose_name=_("case"),
    )
    order = models.ForeignKey(
        Order,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order"),
    )
    order_line = models.ForeignKey(
        OrderLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("order line"),
    )
    gesture_type = models.ForeignKey(
        GestureType,
        on_delete=models.PROTECT,
        related_name="gestures",
        verbose_name=_("gesture type"),
    )
    reason = models.ForeignKey(
        GestureReason,
        on_delete=models.PROTECT,
        related_name="gestures",
        verbose_name=_("reason"),
    )
    value = amount_field(_("value"))
    currency = currency_field(_("currency"))
    # What it costs us, in ``currency`` (money: the value; points and items: their
    # unit cost, or the price paid on the order line).
    cost = amount_field(_("cost"), default=0)
    note = models.TextField(_("internal note"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GestureStatus.choices,
        default=GestureStatus.PENDING,
    )
    # The customer's case category and tier when proposed: what "similar" means.
    category = models.CharField(_("category"), max_length=80, blank=True)
    customer_tier = models.CharField(_("customer tier"), max_length=10, blank=True)
    is_outlier = models.BooleanField(_("outlier"), default=False)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    # One request, one gesture: the form's or the API's key, unique per requester.
    idempotency_key = models.CharField(_("idempotency key"), max_length=255)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    budget = models.ForeignKey(
        Budget,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gestures",
        verbose_name=_("budget"),
    )
    is_over_budget = models.BooleanField(_("granted over budget"), default=False)
    campaign = models.ForeignKey(
        "gestures.PriceDropCampaign",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gestures",
        verbose_name=_("campaign"),
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("gesture")
        verbose_name_plural = _("gestures")
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"],
                name="gesture_once_per_request",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="gesture_value_pos"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="gesture_cost_pos"),
        ]
        indexes = [
            models.Index(fields=["-requested_at", "-id"], name="gesture_requested_idx"),
            models.Index(
                fields=["status", "-requested_at", "-id"], name="gesture_status_idx"
            ),
            models.Index(fields=["case", "-requested_at"], name="gesture_case_idx"),
            models.Index(
                fields=["customer", "gesture_type", "requested_at"],
                name="gesture_customer_idx",
            ),
            models.Index(
                fields=["gesture_type", "category", "customer_tier", "applied_at"],
                name="gesture_similar_idx",
            ),
            models.Index(fields=["applied_at"], name="gesture_applied_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.gesture_type_id} {self.value}"


class ApprovalStep(models.Model):
    """One level of approval of a gesture above its requester's authority. A step
    is decided once; an escalation opens the next level's step."""

    gesture = models.ForeignKey(
        Gesture,
        on_delete=models.CASCADE,
        related_name="steps",
        verbose_name=_("gesture"),
    )
    level = models.CharField(_("level"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    created_at = models.DateTimeField(_("created at"))
    due_at = models.DateTimeField(_("due at"))
    decision = models.CharField(
        _("decision"),
        max_length=10,
        choices=StepDecision.choices,
        default=StepDecision.PENDING,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [
            models.UniqueConstraint(
                fields=["gesture"],
                condition=Q(decision="pending"),
                name="approval_one_pending_step",
            )
        ]
        indexes = [
            models.Index(
                fields=["decision", "level", "due_at", "id"], name="approval_queue_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gesture_id} {self.level} {self.decision}"


class GestureDelivery(models.Model):
    """Sending one applied gesture to the shop or ERP's webhook (once, retried)."""

    gesture = models.OneToOneField(
        Gesture,
        on_delete=models.CASCADE,
        related_name="delivery",
        verbose_name=_("gesture"),
    )
    url = models.URLField(_("webhook URL"), max_length=500)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    response_status = models.PositiveIntegerField(
        _("response status"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"))
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("gesture delivery")
        verbose_name_plural = _("gesture deliveries")

    def __str__(self) -> str:
        return f"{self.gesture_id} {self.status}"
