"""What cases cost, summed per period, cost kind, case kind, category or team.

The ledger entries (``cases.CaseCost``) are grouped by when they were incurred and
staff time (``Interaction.time_spent_seconds`` at ``STAFF_HOURLY_COST``) by when the
contact happened, both on local dates of ``TIME_ZONE``. Two aggregate queries, plus
one for team names: the cost does not grow with the number of cases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Trunc
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amiable.accounts.models import Team, User
from amiable.cases.models import CaseCost, CaseKind, CostKind
from amiable.cases.selectors import case_visible_queryset
from amiable.conversations.models import Interaction
from amiable.core.errors import PermissionDeniedError
from amiable.core.money import Money
from amiable.disputes.permissions import can_view_cost_reports

STAFF_TIME = "staff_time"


class CostDimension(StrEnum):
    PERIOD = "period"
    KIND = "kind"
    CASE_KIND = "case_kind"
    CATEGORY = "category"
    TEAM = "team"


class Granularity(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


DIMENSION_LABELS = {
    CostDimension.PERIOD: gettext_lazy("Period"),
    CostDimension.KIND: gettext_lazy("Cost kind"),
    CostDimension.CASE_KIND: gettext_lazy("Case kind"),
    CostDimension.CATEGORY: gettext_lazy("Category"),
    CostDimension.TEAM: gettext_lazy("Team"),
}
GRANULARITY_LABELS = {
    Granularity.DAY: gettext_lazy("Day"),
    Granularity.WEEK: gettext_lazy("Week"),
    Granularity.MONTH: gettext_lazy("Month"),
    Granularity.YEAR: gettext_lazy("Year"),
}
PERIOD_FORMATS = {
    Granularity.DAY: "SHORT_DATE_FORMAT",
    Granularity.WEEK: "SHORT_DATE_FORMAT",
    Granularity.MONTH: "YEAR_MONTH_FORMAT",
    Granularity.YEAR: "Y",
}


@dataclass(frozen=True)
class CostFilters:
    dimension: CostDimension = CostDimension.KIND
    granularity: Granularity = Granularity.MONTH
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # included
    case_kind: str = ""
    team_id: int | None = None


@dataclass(frozen=True)
class CostGroup:
    key: str
    label: str
    totals: list[Money]
    staff_seconds: int
    entries: int


@dataclass(frozen=True)
class CostReport:
    filters: CostFilters
    groups: list[CostGroup]
    totals: list[Money]
    staff_seconds: int


def _scoped(
    queryset: QuerySet[Any], actor: User, filters: CostFilters, stamp: str
) -> QuerySet[Any]:
    zone = ZoneInfo(settings.TIME_ZONE)
    queryset = queryset.filter(case__in=case_visible_queryset(actor=actor))
    if filters.case_kind:
        queryset = queryset.filter(case__kind=filters.case_kind)
    if filters.team_id is not None:
        queryset = queryset.filter(case__team_id=filters.team_id)
    if filters.date_from is not None:
        start = dt.datetime.combine(filters.date_from, dt.time(0), tzinfo=zone)
        queryset = queryset.filter(**{f"{stamp}__gte": start})
    if filters.date_to is not None:
        stop = dt.datetime.combine(
            filters.date_to + dt.timedelta(days=1), dt.time(0), tzinfo=zone
        )
        queryset = queryset.filter(**{f"{stamp}__lt": stop})
    return queryset


def _group_expression(filters: CostFilters, stamp: str, *, is_staff: bool) -> Any:
    if filters.dimension == CostDimension.PERIOD:
        return Trunc(
            stamp, str(filters.granularity), tzinfo=ZoneInfo(settings.TIME_ZONE)
        )
    if filters.dimension == CostDimension.KIND:
        return Value(STAFF_TIME) if is_staff else F("kind")
    if filters.dimension == CostDimension.CASE_KIND:
        return F("case__kind")
    if filters.dimension == CostDimension.CATEGORY:
        return F("case__category")
    return F("case__team_id")


def _key(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)


def _labels(filters: CostFilters, keys: set[str]) -> dict[str, str]:
    dimension = filters.dimension
    if dimension == CostDimension.PERIOD:
        style = PERIOD_FORMATS[filters.granularity]
        return {
            key: formats.date_format(dt.date.fromisoformat(key), style) for key in keys
        }
    if dimension == CostDimension.KIND:
        kinds = dict(CostKind.choices) | {STAFF_TIME: _("Staff time")}
        return {key: str(kinds.get(key, key)) for key in keys}
    if dimension == CostDimension.CASE_KIND:
        return {key: str(dict(CaseKind.choices).get(key, key)) for key in keys}
    if dimension == CostDimension.CATEGORY:
        return {key: key or _("No category") for key in keys}
    ids = [int(key) for key in keys if key]
    names = dict(Team.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {key: names.get(int(key), key) if key else _("No team") for key in keys}


def cost_report(*, actor: User, filters: CostFilters) -> CostReport:
    """The report the actor may see (its cases only). Raises PermissionDeniedError
    for agents."""
    if not can_view_cost_reports(actor):
        raise PermissionDeniedError(_("Cost reports are for supervisors and above."))
    hourly: Money = settings.STAFF_HOURLY_COST
    sums: dict[str, dict[str, Decimal]] = defaultdict(dict)
    seconds: dict[str, int] = defaultdict(int)
    counts: dict[str, int] = defaultdict(int)
    entry_rows = (
        _scoped(CaseCost.objects.all(), actor, filters, "incurred_at")
        .order_by()
        .values(
            "currency", group=_group_expression(filters, "incurred_at", is_staff=False)
        )
        .annotate(total=Sum("amount"), count=Count("id"))
    )
    for row in entry_rows:
        key = _key(row["group"])
        bucket = sums[key]
        bucket[row["currency"]] = bucket.get(row["currency"], Decimal(0)) + row["total"]
        counts[key] += row["count"]
    staff_rows = (
        _scoped(
            Interaction.objects.filter(time_spent_seconds__gt=0),
            actor,
            filters,
            "occurred_at",
        )
        .order_by()
        .values(group=_group_expression(filters, "occurred_at", is_staff=True))
        .annotate(seconds=Sum("time_spent_seconds"))
    )
    for row in staff_rows:
        if not row["seconds"]:
            continue  # an empty set still yields the constant staff-time group
        key = _key(row["group"])
        seconds[key] += int(row["seconds"] or 0)
        cost = Money(
            hourly.amount * Decimal(row["seconds"] or 0) / 3600, hourly.currency
        )
        bucket = sums[key]
        bucket[hourly.currency] = (
            bucket.get(hourly.currency, Decimal(0)) + cost.quantized().amount
        )
    keys = set(sums)
    labels = _labels(filters, keys)
    groups = [
        CostGroup(
            key=key,
            label=labels[key],
            totals=[
                Money(amount, code).quantized()
                for code, amount in sorted(sums[key].items())
            ],
            staff_seconds=seconds.get(key, 0),
            entries=counts.get(key, 0),
        )
        for key in keys
    ]
    if filters.dimension == CostDimension.PERIOD:
        groups.sort(key=lambda group: group.key)
    else:
        groups.sort(
            key=lambda group: (-_main_total(group, hourly.currency), group.label)
        )
    overall: dict[str, Decimal] = defaultdict(Decimal)
    for group in groups:
        for money in group.totals:
            overall[money.currency] += money.amount
    return CostReport(
        filters=filters,
        groups=groups,
        totals=[
            Money(amount, code).quantized() for code, amount in sorted(overall.items())
        ],
        staff_seconds=sum(seconds.values()),
    )


def _main_total(group: CostGroup, currency: str) -> Decimal:
    return next(
        (money.amount for money in group.totals if money.currency == currency),
        Decimal(0),
    )


def case_cost_totals(case_ids: list[int]) -> dict[int, list[Money]]:
    """Total cost per case (ledger plus staff time) for a page of cases: two
    aggregate queries whatever the number of cases. Scope the ids first."""
    hourly: Money = settings.STAFF_HOURLY_COST
    sums: dict[int, dict[str, Decimal]] = {pk: {} for pk in case_ids}
    entries = (
        CaseCost.objects.filter(case_id__in=case_ids)
        .order_by()
        .values("case_id", "currency")
        .annotate(total=Sum("amount"))
    )
    for row in entries:
        bucket = sums[row["case_id"]]
        bucket[row["currency"]] = bucket.get(row["currency"], Decimal(0)) + row["total"]
    staff = (
        Interaction.objects.filter(case_id__in=case_ids, time_spent_seconds__gt=0)
        .order_by()
        .values("case_id")
        .annotate(seconds=Sum("time_spent_seconds"))
    )
    for row in staff:
        cost = Money(
            hourly.amount * Decimal(row["seconds"]) / 3600, hourly.currency
        ).quantized()
        bucket = sums[row["case_id"]]
        bucket[cost.currency] = bucket.get(cost.currency, Decimal(0)) + cost.amount
    return {
        pk: [Money(amount, code).quantized() for code, amount in sorted(bucket.items())]
        for pk, bucket in sums.items()
    }
