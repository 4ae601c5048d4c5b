"""Price protection: when a product's price drops, the customers who bought it at a
higher price within the window get a proposed compensation (the difference times the
quantity, as a voucher) that a supervisor approves in bulk, and no promotion about
that product while they are protected (seed 003)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from amiable.accounts.models import Role, User
from amiable.audit.services import audit_record
from amiable.commerce.models import OrderLine, OrderStatus, Product
from amiable.core.clock import now
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.gestures.errors import GestureAlreadyDecidedError, GestureInvalidError
from amiable.gestures.models import (
    CampaignStatus,
    Compensation,
    Gesture,
    PriceDropCampaign,
    PromotionSuppression,
)
from amiable.gestures.permissions import can_view_reports
from amiable.gestures.services.applying import gesture_apply
from amiable.gestures.services.settings import gesture_settings_get
from amiable.notifications.services import notification_send

NOT_KEPT = (OrderStatus.CANCELLED, OrderStatus.RETURNED)
CENT = Decimal("0.01")


def price_drop_buyers(
    *,
    product_id: int,
    price: Decimal,
    currency: str,
    changed_at: dt.datetime,
    days: int,
) -> list[OrderLine]:
    """Order lines of the product placed in the ``days`` before the change (both
    ends included) at a unit price above ``price``, in the same currency, on
    orders neither cancelled nor returned; oldest first."""
    return list(
        OrderLine.objects.filter(
            product_id=product_id,
            unit_price__gt=price,
            order__currency=currency,
            order__placed_at__gte=changed_at - dt.timedelta(days=days),
            order__placed_at__lte=changed_at,
        )
        .exclude(order__status__in=NOT_KEPT)
        .select_related("order")
        .order_by("order__placed_at", "id")
    )


@transaction.atomic
def price_drop_campaign_propose(
    *,
    product_id: int,
    previous_price: Decimal,
    price: Decimal,
    currency: str,
    changed_at: dt.datetime,
) -> PriceDropCampaign | None:
    """Propose the compensations of one price drop and suppress promotions of the
    product to its buyers. Idempotent per (product, change time); None when the
    price did not drop or nobody paid more within the window."""
    if price >= previous_price:
        return None
    existing = PriceDropCampaign.objects.filter(
        product_id=product_id, changed_at=changed_at
    ).first()
    if existing is not None:
        return existing
    options = gesture_settings_get()
    lines = price_drop_buyers(
        product_id=product_id,
        price=price,
        currency=currency,
        changed_at=changed_at,
        days=options.price_protection_window_days,
    )
    if not lines:
        return None
    try:
        with transaction.atomic():
            campaign = PriceDropCampaign.objects.create(
                product_id=product_id,
                previous_price=previous_price,
                price=price,
                currency=currency,
                changed_at=changed_at,
                window_days=options.price_protection_window_days,
            )
    except IntegrityError:  # the same event delivered twice at once
        return PriceDropCampaign.objects.get(
            product_id=product_id, changed_at=changed_at
        )
    Compensation.objects.bulk_create(
        Compensation(
            campaign=campaign,
            customer_id=line.order.customer_id,
            order_line=line,
            quantity=line.quantity,
            unit_price_paid=line.unit_price,
            amount=((line.unit_price - price) * line.quantity).quantize(CENT),
            currency=currency,
        )
        for line in lines
    )
    until = changed_at + dt.timedelta(days=options.promotion_suppression_days)
    product = Product.objects.get(pk=product_id)
    customers = sorted({line.order.customer_id for line in lines})
    PromotionSuppression.objects.bulk_create(
        PromotionSuppression(
            customer_id=customer_id,
            product_id=product_id,
            campaign=campaign,
            reason=f"price drop {previous_price} -> {price} {currency}",
            starts_at=changed_at,
            ends_at=until,
        )
        for customer_id in customers
    )
    audit_record(
        actor=None,
        action="gestures.campaign_propose",
        instance=campaign,
        after={
            "product": product.sku,
            "lines": len(lines),
            "customers": len(customers),
            "suppressed_until": until,
        },
    )
    notification_send(
        recipients=User.objects.filter(
            is_active=True, role__in=[Role.SUPERVISOR, Role.QUALITY_MANAGER]
        ),
        kind="gesture.campaign_proposed",
        title=_("Price drop on %(product)s: %(count)d compensations to approve")
        % {"product": product.name, "count": len(lines)},
        url=reverse("gestures:campaign", args=[campaign.pk]),
        dedupe_key=f"gestures.campaign:{campaign.pk}",
    )
    return campaign


def _locked_campaign(actor: User, campaign: PriceDropCampaign) -> PriceDropCampaign:
    if not can_view_reports(actor):
        raise PermissionDeniedError(_("Supervisors decide price-protection campaigns."))
    locked = PriceDropCampaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status != CampaignStatus.PROPOSED:
        raise GestureAlreadyDecidedError(_("This campaign was decided already."))
    return locked


@transaction.atomic
def campaign_approve(
    *,
    actor: User,
    campaign: PriceDropCampaign,
    compensation_ids: Iterable[int] | None = None,
) -> list[Gesture]:
    """Approve the campaign: one applied voucher per selected compensation (all of
    them by default). Raises GestureInvalidError when no voucher type is set."""
    locked = _locked_campaign(actor, campaign)
    options = gesture_settings_get()
    voucher, reason = options.price_protection_type, options.price_protection_reason
    if voucher is None or reason is None:
        raise GestureInvalidError(
            _("Choose the voucher type and reason of price protection first."),
            fields={"price_protection_type": [_("Required.")]},
        )
    compensations = list(
        Compensation.objects.filter(campaign=locked, gesture__isnull=True)
        .select_related("order_line__order", "customer")
        .order_by("id")
    )
    if compensation_ids is not None:
        chosen = set(compensation_ids)
        unknown = chosen - {item.pk for item in compensations}
        if unknown:
            raise ValidationError(
                _("These compensations are not part of this campaign."),
                fields={"compensation_ids": [", ".join(map(str, sorted(unknown)))]},
            )
        compensations = [item for item in compensations if item.pk in chosen]
    moment = now()
    gestures = []
    for item in compensations:
        gesture = Gesture.objects.create(
            customer=item.customer,
            order=item.order_line.order,
            order_line=item.order_line,
            gesture_type=voucher,
            reason=reason,
            value=item.amount,
            currency=item.currency,
            cost=item.amount,
            note=_("Price protection: %(paid)s paid, now %(price)s, x %(quantity)d")
            % {
                "paid": item.unit_price_paid,
                "price": locked.price,
                "quantity": item.quantity,
            },
            customer_tier=item.customer.tier,
            requested_by=actor,
            requested_at=moment,
            idempotency_key=f"campaign:{locked.pk}:line:{item.order_line_id}",
            campaign=locked,
        )
        gesture_apply(actor=actor, gesture=gesture, approved=True)
        item.gesture = gesture
        item.save(update_fields=["gesture"])
        gestures.append(gesture)
    locked.status = CampaignStatus.APPROVED
    locked.decided_by = actor
    locked.decided_at = moment
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    audit_record(
        actor=actor,
        action="gestures.campaign_approve",
        instance=locked,
        after={
            "gestures": [gesture.pk for gesture in gestures],
            "total": sum((gesture.value for gesture in gestures), Decimal(0)),
        },
    )
    return gestures


@transaction.atomic
def campaign_reject(
    *, actor: User, campaign: PriceDropCampaign, reason: str
) -> PriceDropCampaign:
    """Reject the campaign (a reason is required). Promotions stay suppressed:
    the customers still paid more than today's price."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            _("Say why the campaign is rejected."), fields={"reason": [_("Required.")]}
        )
    locked = _locked_campaign(actor, campaign)
    locked.status = CampaignStatus.REJECTED
    locked.decided_by = actor
    locked.decided_at = now()
    locked.decision_reason = reason
    locked.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="gestures.campaign_reject",
        instance=locked,
        after={"reason": reason},
    )
    return locked
