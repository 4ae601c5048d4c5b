"""Price-protection campaigns (supervisors and above)."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.core.errors import NotFoundError
from amiable.gestures.models import Compensation, PriceDropCampaign
from amiable.gestures.permissions import can_view_reports


def campaign_list(*, actor: User, status: str = "") -> QuerySet[PriceDropCampaign]:
    if not can_view_reports(actor):
        return PriceDropCampaign.objects.none()
    queryset = PriceDropCampaign.objects.select_related("product", "decided_by")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.annotate(
        compensations_count=Count("compensations"),
        compensations_total=Sum("compensations__amount"),
    )


def campaign_get(*, actor: User, campaign_id: int) -> PriceDropCampaign:
    campaign = campaign_list(actor=actor).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFoundError(_("No such campaign."))
    return campaign


def compensation_list(*, campaign: PriceDropCampaign) -> QuerySet[Compensation]:
    return (
        Compensation.objects.filter(campaign=campaign)
        .select_related("customer", "order_line__order", "gesture")
        .order_by("id")
    )
