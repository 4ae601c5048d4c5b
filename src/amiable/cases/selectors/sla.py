"""Reading a case's SLA clocks and its escalation ladder, and the taxonomies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TypeVar

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from amiable.accounts.models import User
from amiable.cases.models import (
    Case,
    CaseCategory,
    CaseEscalation,
    EscalationLevel,
    RootCause,
    RoutingRule,
    SlaClock,
    SlaPolicy,
    TeamRouting,
)
from amiable.core.config_cache import ConfigCache

E = TypeVar("E", CaseCategory, RootCause)


def case_sla_clocks(*, actor: User, case: Case) -> list[SlaClock]:
    """The clocks of a case the actor may see (one query), oldest first."""
    return list(SlaClock.objects.filter(case=case).order_by("started_at", "id"))


def case_escalation_list(*, actor: User, case: Case) -> list[CaseEscalation]:
    """Every climb of the ladder, oldest first, with who did it and who owns it
    (a few rows, sorted here: the ORM does not match the joined columns against
    an ORDER BY)."""
    return sorted(
        CaseEscalation.objects.filter(case=case)
        .select_related("escalated_by", "owner")
        .order_by(),
        key=attrgetter("escalated_at", "pk"),
    )


@dataclass(frozen=True)
class LadderStep:
    level: int
    label: str
    is_current: bool
    is_reached: bool
    escalation: CaseEscalation | None  # the latest climb to this level


def case_ladder(case: Case, escalations: list[CaseEscalation]) -> list[LadderStep]:
    """The five steps of the ladder and where the case stands (no query)."""
    latest = {row.level: row for row in escalations}
    return [
        LadderStep(
            level=int(level),
            label=str(label),
            is_current=level == case.escalation_level,
            is_reached=level <= case.escalation_level,
            escalation=latest.get(int(level)),
        )
        for level, label in EscalationLevel.choices
    ]


# Each family, then its entries, the same on every database (NULLs sort first on
# SQLite and last on PostgreSQL, so the order says where they go).
TAXONOMY_ORDER = (
    Coalesce("parent__code", "code"),
    F("parent_id").asc(nulls_first=True),
    "code",
)


def root_cause_list(*, actor: User, active_only: bool = True) -> QuerySet[RootCause]:
    queryset = RootCause.objects.select_related("parent").order_by(*TAXONOMY_ORDER)
    return queryset.filter(is_active=True) if active_only else queryset


def category_list(*, actor: User, active_only: bool = True) -> QuerySet[CaseCategory]:
    queryset = CaseCategory.objects.select_related("parent").order_by(*TAXONOMY_ORDER)
    return queryset.filter(is_active=True) if active_only else queryset


def _active_entries(model: type[E]) -> Callable[[], list[E]]:
    """What reads a taxonomy's active entries, with their parent, in order."""
    return lambda: list(
        model.objects.select_related("parent")
        .filter(is_active=True)
        .order_by(*TAXONOMY_ORDER)
    )


# Read on every case page, changed a few times a year: kept per process.
ACTIVE_CATEGORIES: ConfigCache[list[CaseCategory]] = ConfigCache(
    "cases.active_categories", _active_entries(CaseCategory), models=(CaseCategory,)
)
ACTIVE_ROOT_CAUSES: ConfigCache[list[RootCause]] = ConfigCache(
    "cases.active_root_causes", _active_entries(RootCause), models=(RootCause,)
)


def category_list_active(*, actor: User) -> list[CaseCategory]:
    """The active categories in order, shared by the process's requests: read
    them, never change them (``core.config_cache``)."""
    return ACTIVE_CATEGORIES.get()


def root_cause_list_active(*, actor: User) -> list[RootCause]:
    """The active root causes in order, shared like ``category_list_active``."""
    return ACTIVE_ROOT_CAUSES.get()


def sla_policy_list(*, actor: User) -> QuerySet[SlaPolicy]:
    return SlaPolicy.objects.all()


def routing_rule_list(*, actor: User) -> QuerySet[RoutingRule]:
    """Routing rules in the order they are tried."""
    return RoutingRule.objects.select_related("team").order_by("position", "id")


def team_routing_list(*, actor: User) -> QuerySet[TeamRouting]:
    """Each team's skills and assignment mode."""
    return TeamRouting.objects.select_related("team").order_by("team__name", "id")
