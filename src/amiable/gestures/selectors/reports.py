"""Gesture spend per reason, case category, team or agent; the CSV export rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, QuerySet, Sum
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.core.money import Money
from amiable.gestures.models import Gesture, GestureStatus
from amiable.gestures.selectors.visibility import GESTURE_RELATED, gesture_list


class SpendDimension(StrEnum):
    REASON = "reason"
    CATEGORY = "category"
    TEAM = "team"
    AGENT = "agent"
    TYPE = "type"


GROUP_FIELDS: dict[SpendDimension, tuple[str, ...]] = {
    SpendDimension.REASON: ("reason__code", "reason__name_fr", "reason__name_en"),
    SpendDimension.CATEGORY: ("category",),
    SpendDimension.TEAM: ("team_id", "team__name"),
    SpendDimension.AGENT: (
        "requested_by_id",
        "requested_by__username",
        "requested_by__first_name",
        "requested_by__last_name",
    ),
    SpendDimension.TYPE: (
        "gesture_type__code",
        "gesture_type__name_fr",
        "gesture_type__name_en",
    ),
}


@dataclass(frozen=True)
class SpendRow:
    key: str
    label: str
    currency: str
    count: int
    total: Decimal


def applied_gestures(
    *, actor: User, date_from: dt.date | None, date_to: dt.date | None
) -> QuerySet[Gesture]:
    """Applied gestures the actor may see, applied between the two days (Paris
    days, both included)."""
    queryset = gesture_list(actor=actor, status=GestureStatus.APPLIED)
    if date_from is not None:
        queryset = queryset.filter(applied_at__date__gte=date_from)
    if date_to is not None:
        queryset = queryset.filter(applied_at__date__lte=date_to)
    return queryset


def _label(dimension: SpendDimension, row: dict[str, object]) -> tuple[str, str]:
    english = (translation.get_language() or "fr").startswith("en")
    if dimension in {SpendDimension.REASON, SpendDimension.TYPE}:
        prefix = "reason" if dimension == SpendDimension.REASON else "gesture_type"
        name = row[f"{prefix}__name_en" if english else f"{prefix}__name_fr"]
        return str(row[f"{prefix}__code"]), str(name)
    if dimension == SpendDimension.CATEGORY:
        category = str(row["category"] or "")
        return category, category or _("No category")
    if dimension == SpendDimension.TEAM:
        if row["team_id"] is None:
            return "", _("No team")
        return str(row["team_id"]), str(row["team__name"])
    if row["requested_by_id"] is None:
        return "", _("System")
    full = f"{row['requested_by__first_name']} {row['requested_by__last_name']}".strip()
    return str(row["requested_by_id"]), full or str(row["requested_by__username"])


def gesture_spend(
    *,
    actor: User,
    dimension: SpendDimension,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[SpendRow]:
    """Count and cost of applied gestures per group and currency, the costliest
    first (one query)."""
    fields = GROUP_FIELDS[dimension]
    rows = (
        applied_gestures(actor=actor, date_from=date_from, date_to=date_to)
        .order_by()
        .values(*fields, "currency")
        .annotate(count=Count("id"), total=Sum("cost"))
    )
    result = []
    for row in rows:
        key, label = _label(dimension, row)
        result.append(
            SpendRow(
                key=key,
                label=label,
                currency=str(row["currency"]),
                count=int(row["count"]),
                total=Money(Decimal(row["total"] or 0), str(row["currency"]))
                .quantized()
                .amount,
            )
        )
    return sorted(result, key=lambda item: (-item.total, item.label, item.currency))


def gesture_export_rows(
    *, actor: User, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[Gesture]:
    """Applied gestures for the shop or ERP, oldest first, related rows joined."""
    return (
        applied_gestures(actor=actor, date_from=date_from, date_to=date_to)
        .select_related(*GESTURE_RELATED, "order_line__product")
        .order_by("applied_at", "id")
    )
