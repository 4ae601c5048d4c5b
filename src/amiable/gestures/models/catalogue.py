"""The catalogue of gesture types and reasons, the authority matrix, budgets and
the settings row."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Role, Team
from amiable.core.encryption import EncryptedTextField
from amiable.core.models import TimeStampedModel
from amiable.core.money import (
    CURRENCY_DECIMAL_PLACES,
    CURRENCY_MAX_DIGITS,
    amount_field,
    currency_field,
)


class GestureKind(models.TextChoices):
    FULL_REFUND = "refund", _("Full refund")
    PARTIAL_REFUND = "partial_refund", _("Partial refund")
    VOUCHER = "voucher", _("Voucher")
    STORE_CREDIT = "store_credit", _("Store credit")
    FREE_SHIPPING = "free_shipping", _("Free shipping")
    REPLACEMENT = "replacement", _("Replacement")
    UPGRADE = "upgrade", _("Upgrade")
    GIFT = "gift", _("Gift")
    LOYALTY_POINTS = "loyalty_points", _("Loyalty points")


class GestureUnit(models.TextChoices):
    MONEY = "money", _("Money")
    POINTS = "points", _("Points")
    ITEM = "item", _("Items")


class WhenSpent(models.TextChoices):
    BLOCK = "block", _("Block new gestures")
    REQUIRE_APPROVAL = "approval", _("Require an approval")


class GestureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")


class StepDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ESCALATED = "escalated", _("Escalated")


class CampaignStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class GestureReason(TimeStampedModel):
    """Why a gesture is granted ("late delivery", "damaged parcel"…). Names in both
    languages, because administrators type them."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("gesture reason")
        verbose_name_plural = _("gesture reasons")

    def __str__(self) -> str:
        return self.code

    def name_in(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_fr


class GestureType(TimeStampedModel):
    """One entry of the catalogue, configured by administrators."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=GestureKind.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=GestureUnit.choices)
    currency = currency_field(_("currency"))
    # What one point or one item costs us, for the case ledger and the reports
    # (money gestures cost their value).
    unit_cost = amount_field(_("cost of one unit"), default=0)
    requires_order_line = models.BooleanField(_("needs an order line"), default=False)
    reasons = models.ManyToManyField(
        GestureReason,
        blank=True,
        related_name="gesture_types",
        verbose_name=_("reasons"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("gesture type")
        verbose_name_plural = _("gesture types")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit_cost__gte=0), name="gesture_type_cost_positive"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def name_in(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_fr

    @property
    def is_money(self) -> bool:
        return self.unit == GestureUnit.MONEY


class AuthorityLimit(TimeStampedModel):
    """What one role (in one team, or in every team) may grant alone of one type:
    at most ``max_per_gesture`` at once, and ``max_per_customer`` to one customer
    over the last ``period_days`` days. A team's row wins over the all-teams row."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    team = models.ForeignKey(
        Team,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    gesture_type = models.ForeignKey(
        GestureType,
        on_delete=models.CASCADE,
        related_name="limits",
        verbose_name=_("gesture type"),
    )
    max_per_gesture = amount_field(_("maximum per gesture"))
    max_per_customer = models.DecimalField(
        _("maximum per customer over the period"),
        max_digits=CURRENCY_MAX_DIGITS,
        decimal_places=CURRENCY_DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    period_days = models.PositiveSmallIntegerField(_("period (days)"), default=30)

    class Meta:
        ordering = ["gesture_type", "role", "team"]
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        constraints = [
            models.UniqueConstraint(
                fields=["role", "team", "gesture_type"],
                name="authority_limit_once_per_team",
            ),
            models.UniqueConstraint(
                fields=["role", "gesture_type"],
                condition=Q(team__isnull=True),
                name="authority_limit_once_all_teams",
            ),
            models.CheckConstraint(
                condition=Q(max_per_gesture__gte=0), name="authority_limit_positive"
            ),
            models.CheckConstraint(
                condition=Q(period_days__gte=1), name="authority_limit_period_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}/{self.team_id or '*'}/{self.gesture_type_id}"


class Budget(TimeStampedModel):
    """A team's monthly budget for one gesture type, in the type's unit.
    ``consumed`` moves only by conditional updates, so two agents spending the last
    euro at once cannot both succeed."""

    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="+", verbose_name=_("team")
    )
    gesture_type = models.ForeignKey(
        GestureType,
        on_delete=models.CASCADE,
        related_name="budgets",
        verbose_name=_("gesture type"),
    )
    month = models.DateField(_("month"))  # always the first day of the month
    amount = amount_field(_("budget"))
    consumed = amount_field(_("consumed"), default=0)
    when_spent = models.CharField(
        _("when spent"),
        max_length=10,
        choices=WhenSpent.choices,
        default=WhenSpent.REQUIRE_APPROVAL,
    )

    class Meta:
        ordering = ["-month", "team", "gesture_type"]
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "gesture_type", "month"], name="budget_once_per_month"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(consumed__gte=0),
                name="budget_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.gesture_type_id}/{self.month:%Y-%m}"

    @property
    def remaining(self) -> Decimal:
        return max(Decimal(0), self.amount - self.consumed)

    @property
    def consumed_percent(self) -> int:
        if self.amount <= 0:
            return 100
        return min(100, int(self.consumed * 100 / self.amount))


class GestureSettings(models.Model):
    """The one row of gesture settings (``gesture_settings_get`` creates it)."""

    supervisor_due_hours = models.PositiveSmallIntegerField(
        _("supervisor approval due within (business hours)"), default=4
    )
    quality_manager_due_hours = models.PositiveSmallIntegerField(
        _("quality manager approval due within (business hours)"), default=8
    )
    admin_due_hours = models.PositiveSmallIntegerField(
        _("administrator approval due within (business hours)"), default=24
    )
    price_protection_window_days = models.PositiveSmallIntegerField(
        _("price protection window (days)"), default=14
    )
    promotion_suppression_days = models.PositiveSmallIntegerField(
        _("promotions suppressed for (days)"), default=30
    )
    price_protection_type = models.ForeignKey(
        GestureType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gesture type of price-protection vouchers"),
    )
    price_protection_reason = models.ForeignKey(
        GestureReason,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reason of price-protection vouchers"),
    )
    webhook_url = models.URLField(_("shop/ERP webhook URL"), max_length=500, blank=True)
    webhook_secret = EncryptedTextField(_("webhook signing secret"), blank=True)

    class Meta:
        verbose_name = _("gesture settings")
        verbose_name_plural = _("gesture settings")

    def __str__(self) -> str:
        return "gesture settings"

    def due_hours(self, level: str) -> int:
        return {
            Role.SUPERVISOR: self.supervisor_due_hours,
            Role.QUALITY_MANAGER: self.quality_manager_due_hours,
        }.get(Role(level), self.admin_due_hours)
