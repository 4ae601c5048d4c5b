"""First-contact resolution, per domain rules §4.2 and §6.2.

- **Operational FCR** = cases resolved with exactly one inbound customer contact and
  no repeat contact on the same issue within W days / cases resolved in the period.
  A repeat is a new inbound contact of the same customer within W days of the
  resolution, on the same case, or on another case of the same category or sharing
  an order. A reopen, or a "no" to the confirmation link, is never FCR. Only cases
  resolved at least W days ago are counted (before that, a repeat may still come):
  ``waiting`` says how many are left for later. W = ``fcr_repeat_window_days``.
- **Survey FCR** = "yes, solved at the first contact" / answers, from the
  resolution confirmations: a "no, not solved" counts as an answer that is not FCR;
  "I don't know" and unanswered first-contact questions are left out.
- **Confirmed resolution rate** = "yes, solved" / answers.

Scoped to the cases the actor sees. Each figure is one aggregate query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats
from django.utils.translation import gettext as _

from amiable.accounts.models import Team, User
from amiable.cases.models import Case, CaseKind, CaseStatus
from amiable.cases.selectors import case_visible_queryset
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.core.clock import now
from amiable.core.errors import PermissionDeniedError
from amiable.quality.models import FirstContact, ResolutionConfirmation
from amiable.quality.permissions import can_view_quality
from amiable.quality.services.settings import quality_settings_get

NOT_CONTACTS = (Channel.NOTE, Channel.SYSTEM)


class FcrDimension(StrEnum):
    OVERALL = "overall"
    TEAM = "team"
    KIND = "kind"
    CHANNEL = "channel"
    MONTH = "month"


@dataclass(frozen=True)
class FcrFilters:
    dimension: FcrDimension = FcrDimension.OVERALL
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # included


@dataclass(frozen=True)
class FcrRow:
    key: str
    label: str
    resolved: int
    first_contact: int
    waiting: int
    survey_answers: int
    survey_yes: int
    confirmations: int
    confirmed: int

    @property
    def operational_rate(self) -> float | None:
        return self.first_contact / self.resolved if self.resolved else None

    @property
    def survey_rate(self) -> float | None:
        return self.survey_yes / self.survey_answers if self.survey_answers else None

    @property
    def confirmed_rate(self) -> float | None:
        return self.confirmed / self.confirmations if self.confirmations else None


@dataclass(frozen=True)
class FcrReport:
    filters: FcrFilters
    repeat_window_days: int
    rows: list[FcrRow]

    @property
    def has_cases(self) -> bool:
        """Whether any row counts a resolved case (counted or too recent)."""
        return any(row.resolved or row.waiting for row in self.rows)


def _bounds(filters: FcrFilters) -> tuple[dt.datetime | None, dt.datetime | None]:
    zone = ZoneInfo(settings.TIME_ZONE)
    start = (
        dt.datetime.combine(filters.date_from, dt.time(0), tzinfo=zone)
        if filters.date_from
        else None
    )
    stop = (
        dt.datetime.combine(
            filters.date_to + dt.timedelta(days=1), dt.time(0), tzinfo=zone
        )
        if filters.date_to
        else None
    )
    return start, stop


def _group(dimension: FcrDimension, prefix: str = "") -> Any:
    if dimension == FcrDimension.TEAM:
        return F(f"{prefix}team_id")
    if dimension == FcrDimension.KIND:
        return F(f"{prefix}kind")
    if dimension == FcrDimension.CHANNEL:
        return F(f"{prefix}channel")
    if dimension == FcrDimension.MONTH:
        return TruncMonth(f"{prefix}resolved_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    return Value("all")


def _key(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)


def _resolved_cases(actor: User, filters: FcrFilters) -> QuerySet[Case]:
    start, stop = _bounds(filters)
    queryset = case_visible_queryset(actor=actor).filter(
        resolved_at__isnull=False,
        status__in=(CaseStatus.RESOLVED, CaseStatus.CLOSED),
    )
    if start is not None:
        queryset = queryset.filter(resolved_at__gte=start)
    if stop is not None:
        queryset = queryset.filter(resolved_at__lt=stop)
    return queryset


def _operational(
    actor: User, filters: FcrFilters, window: dt.timedelta
) -> dict[str, dict[str, int]]:
    contacts = Interaction.objects.filter(
        case=OuterRef("pk"), direction=Direction.INBOUND
    ).exclude(channel__in=NOT_CONTACTS)
    inbound = Subquery(
        contacts.order_by().values("case").annotate(total=Count("id")).values("total"),
        output_field=IntegerField(),
    )
    repeats = (
        Interaction.objects.filter(
            customer=OuterRef("customer"),
            direction=Direction.INBOUND,
            occurred_at__gt=OuterRef("resolved_at"),
            occurred_at__lte=OuterRef("repeat_until"),
        )
        .exclude(channel__in=NOT_CONTACTS)
        .filter(
            Q(case=OuterRef("pk"))
            | (Q(case__category=OuterRef("category")) & ~Q(case__category=""))
            | Q(case__orders__cases=OuterRef("pk"))
        )
    )
    refused = ResolutionConfirmation.objects.filter(
        case=OuterRef("pk"), is_solved=False
    )
    cutoff = now() - window
    rows = (
        _resolved_cases(actor, filters)
        .annotate(
            repeat_until=ExpressionWrapper(
                F("resolved_at") + window, output_field=DateTimeField()
            ),
            inbound=Coalesce(inbound, 0),
            has_repeat=Exists(repeats),
            was_refused=Exists(refused),
        )
        .order_by()
        .values(group=_group(filters.dimension))
        .annotate(
            matured=Count("id", filter=Q(resolved_at__lte=cutoff)),
            waiting=Count("id", filter=Q(resolved_at__gt=cutoff)),
            first_contact=Count(
                "id",
                filter=Q(
                    resolved_at__lte=cutoff,
                    inbound=1,
                    has_repeat=False,
                    was_refused=False,
                    reopened_count=0,
                ),
            ),
        )
    )
    return {
        _key(row["group"]): {
            "resolved": row["matured"],
            "waiting": row["waiting"],
            "first_contact": row["first_contact"],
        }
        for row in rows
    }


def _surveys(actor: User, filters: FcrFilters) -> dict[str, dict[str, int]]:
    start, stop = _bounds(filters)
    queryset = ResolutionConfirmation.objects.filter(
        case__in=case_visible_queryset(actor=actor), answered_at__isnull=False
    )
    if start is not None:
        queryset = queryset.filter(answered_at__gte=start)
    if stop is not None:
        queryset = queryset.filter(answered_at__lt=stop)
    counted = Q(is_solved=False) | Q(
        first_contact__in=[FirstContact.YES, FirstContact.NO]
    )
    rows = (
        queryset.order_by()
        .values(group=_group(filters.dimension, "case__"))
        .annotate(
            confirmations=Count("id"),
            confirmed=Count("id", filter=Q(is_solved=True)),
            survey_answers=Count("id", filter=counted),
            survey_yes=Count(
                "id", filter=Q(is_solved=True, first_contact=FirstContact.YES)
            ),
        )
    )
    return {
        _key(row["group"]): {
            "confirmations": row["confirmations"],
            "confirmed": row["confirmed"],
            "survey_answers": row["survey_answers"],
            "survey_yes": row["survey_yes"],
        }
        for row in rows
    }


def _labels(dimension: FcrDimension, keys: set[str]) -> dict[str, str]:
    if dimension == FcrDimension.OVERALL:
        return {key: _("All cases") for key in keys}
    if dimension == FcrDimension.TEAM:
        names = dict(
            Team.objects.filter(pk__in=[int(k) for k in keys if k]).values_list(
                "pk", "name"
            )
        )
        return {key: names.get(int(key), key) if key else _("No team") for key in keys}
    if dimension == FcrDimension.KIND:
        return {key: str(dict(CaseKind.choices).get(key, key)) for key in keys}
    if dimension == FcrDimension.CHANNEL:
        return {key: str(dict(Channel.choices).get(key, key or "—")) for key in keys}
    return {
        key: formats.date_format(dt.date.fromisoformat(key), "YEAR_MONTH_FORMAT")
        for key in keys
    }


def fcr_report(*, actor: User, filters: FcrFilters) -> FcrReport:
    """Operational and survey FCR and the confirmed resolution rate per group.
    Raises PermissionDeniedError for agents."""
    if not can_view_quality(actor):
        raise PermissionDeniedError(_("Quality figures are for supervisors and above."))
    days = quality_settings_get().fcr_repeat_window_days
    operational = _operational(actor, filters, dt.timedelta(days=days))
    surveys = _surveys(actor, filters)
    keys = set(operational) | set(surveys)
    labels = _labels(filters.dimension, keys)
    empty = {"resolved": 0, "waiting": 0, "first_contact": 0}
    no_answers = {
        "confirmations": 0,
        "confirmed": 0,
        "survey_answers": 0,
        "survey_yes": 0,
    }
    rows = [
        FcrRow(
            key=key,
            label=labels[key],
            **operational.get(key, empty),
            **surveys.get(key, no_answers),
        )
        for key in sorted(keys)
    ]
    return FcrReport(filters=filters, repeat_window_days=days, rows=rows)
