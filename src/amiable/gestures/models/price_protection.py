"""Price protection: campaigns after a price drop, their compensations, and the
promotions suppressed for the buyers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amiable.commerce.models import OrderLine, Product
from amiable.core.models import TimeStampedModel
from amiable.core.money import amount_field, currency_field
from amiable.customers.models import Customer
from amiable.gestures.models.catalogue import CampaignStatus


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
        "gestures.Gesture",
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
