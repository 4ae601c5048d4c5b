"""Survey results per dimension and per month, with response rates and intervals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.conversations.models import Channel
from amiable.customers.models import CustomerTier
from amiable.feedback.models import Survey
from amiable.feedback.selectors import require_feedback_reader
from amiable.feedback.statistics import Estimate, estimate, response_rate


class Dimension(StrEnum):
    OVERALL = "overall"
    MONTH = "month"
    TEAM = "team"
    AGENT = "agent"
    CHANNEL = "channel"
    CATEGORY = "category"
    PRODUCT = "product"
    TIER = "tier"


# Each dimension: the grouping key and the column that names it.
_COLUMNS: dict[Dimension, tuple[Any, Any]] = {
    Dimension.TEAM: (F("team_id"), F("team__name")),
    Dimension.AGENT: (F("agent_id"), F("agent__username")),
    Dimension.CHANNEL: (F("channel"), F("channel")),
    Dimension.CATEGORY: (F("category"), F("category")),
    Dimension.PRODUCT: (F("product_id"), F("product__name")),
    Dimension.TIER: (F("customer_tier"), F("customer_tier")),
}


@dataclass(frozen=True)
class ResultFilters:
    kind: str
    dimension: Dimension = Dimension.OVERALL
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    trigger: str = ""


@dataclass(frozen=True)
class GroupResult:
    key: str
    label: str
    sent: int
    answered: int
    response_rate: float | None
    estimate: Estimate


def _sent_surveys(filters: ResultFilters) -> QuerySet[Survey]:
    queryset = Survey.objects.filter(kind=filters.kind, sent_at__isnull=False)
    if filters.date_from is not None:
        queryset = queryset.filter(sent_at__date__gte=filters.date_from)
    if filters.date_to is not None:
        queryset = queryset.filter(sent_at__date__lte=filters.date_to)
    if filters.trigger:
        queryset = queryset.filter(trigger=filters.trigger)
    return queryset.order_by()


def _label(dimension: Dimension, key: Any, name: Any) -> str:
    if key is None or key == "":
        return _("(none)")
    if dimension == Dimension.MONTH:
        return f"{key:%Y-%m}"
    if dimension == Dimension.CHANNEL:
        return str(Channel(name).label) if name in Channel.values else str(name)
    if dimension == Dimension.TIER:
        return str(CustomerTier(name).label)
    return str(name)


def feedback_results(*, actor: User, filters: ResultFilters) -> list[GroupResult]:
    """One row per group of the dimension (one query): surveys sent, answered,
    response rate and the kind's metric with its 95 % interval. Supervisors and
    above; raises PermissionDeniedError."""
    require_feedback_reader(actor)
    queryset = _sent_surveys(filters)
    if filters.dimension == Dimension.MONTH:
        queryset = queryset.annotate(group_key=TruncMonth("sent_at"))
        queryset = queryset.annotate(group_name=F("group_key"))
    elif filters.dimension == Dimension.OVERALL:
        queryset = queryset.annotate(
            group_key=Value("", output_field=CharField()),
            group_name=Value("", output_field=CharField()),
        )
    else:
        key, name = _COLUMNS[filters.dimension]
        queryset = queryset.annotate(group_key=key, group_name=name)
    rows = queryset.values_list("group_key", "group_name", "response__score")
    groups: dict[Any, tuple[Any, list[int | None]]] = {}
    for key, name, score in rows:
        groups.setdefault(key, (name, []))[1].append(score)
    results = []
    for key, (name, scores) in groups.items():
        answered = [score for score in scores if score is not None]
        results.append(
            GroupResult(
                key="" if key is None else str(key),
                label=(
                    _("All surveys")
                    if filters.dimension == Dimension.OVERALL
                    else _label(filters.dimension, key, name)
                ),
                sent=len(scores),
                answered=len(answered),
                response_rate=response_rate(len(answered), len(scores)),
                estimate=estimate(filters.kind, answered),
            )
        )
    if filters.dimension == Dimension.MONTH:
        return sorted(results, key=lambda result: result.key)
    return sorted(results, key=lambda result: (-result.answered, result.label))
