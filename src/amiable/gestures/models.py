"""Commercial gestures: the catalogue of gesture types and reasons, the authority
matrix, monthly budgets, the gestures themselves with their approval steps, their
delivery to the shop or ERP, and price protection (campaigns, compensations and the
promotions suppressed while a customer is protected)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.accounts.models import Role, Team
from amiable.cases.models import Case
from amiable.commerce.models import Order, OrderLine, Product
from amiable.core.models import TimeStampedModel
from amiable.core.money import (
    CURRENCY_DECIMAL_PLACES,
    CURRENCY_MAX_DIGITS,
    amount_field,
    currency_field,
)
from amiable.customers.models import Customer


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


class PriceDropCampaign(TimeStampedModel):
    """Compensations proposed after a product's price dropped, for the customers
    who bought it at a higher price within the window. One per price change."""

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    previous_price = amount_field(_("previous price"))
    price = amount_field(_("new price"))
    currency = currency_field(_("currency"))
    changed_at = models.DateTimeField(_("price changed at"))
    window_days = models.PositiveSmallIntegerField(_("window (days)"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.PROPOSED,
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
    decision_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("price-protection campaign")
        verbose_name_plural = _("price-protection campaigns")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "changed_at"], name="campaign_once_per_change"
            )
        ]
        indexes = [
            models.Index(fields=["status", "-changed_at", "-id"], name="campaign_idx")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} {self.previous_price} -> {self.price}"


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
        PriceDropCampaign,
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


class Compensation(models.Model):
    """One proposed compensation of a campaign: one order line bought at a higher
    price, the difference times the quantity, as a voucher."""

    campaign = models.ForeignKey(
        PriceDropCampaign,
        on_delete=models.CASCADE,
        related_name="compensations",
        verbose_name=_("campaign"),
    )
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    order_line = models.ForeignKey(
        OrderLine,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("order line"),
    )
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price_paid = amount_field(_("unit price paid"))
    amount = amount_field(_("compensation"))
    currency = currency_field(_("currency"))
    gesture = models.OneToOneField(
        Gesture,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="compensation",
        verbose_name=_("gesture"),
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "order_line"], name="compensation_once_per_line"
            ),
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="compensation_amount_pos"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.customer_id} {self.amount}"


class PromotionSuppression(models.Model):
    """No promotional message about ``product`` to ``customer`` between
    ``starts_at`` and ``ends_at``: every marketing sender must ask
    ``gestures.selectors.promotion_is_allowed`` before sending one."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("customer"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    campaign = models.ForeignKey(
        PriceDropCampaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="suppressions",
        verbose_name=_("campaign"),
    )
    reason = models.CharField(_("reason"), max_length=200)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))

    class Meta:
        ordering = ["-starts_at", "-id"]
        verbose_name = _("promotion suppression")
        verbose_name_plural = _("promotion suppressions")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "customer", "product"],
                name="suppression_once_per_campaign",
            )
        ]
        indexes = [
            models.Index(
                fields=["customer", "product", "ends_at"], name="suppression_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}/{self.product_id} until {self.ends_at:%Y-%m-%d}"


class GestureSettings(models.Model):
    """The one row of gesture settings (``gesture_settings_get`` creates it)."""

    supervisor_due_hours = models.PositiveSmallIntegerField(
        _("supervisor approval due within (hours)"), default=4
    )
    quality_manager_due_hours = models.PositiveSmallIntegerField(
        _("quality manager approval due within (hours)"), default=8
    )
    admin_due_hours = models.PositiveSmallIntegerField(
        _("administrator approval due within (hours)"), default=24
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
    webhook_secret = models.CharField(
        _("webhook signing secret"), max_length=200, blank=True
    )

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
