"""Scoped reads of cases: what the actor may see, with their related rows loaded."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.accounts.permissions import sees_all_cases
from amiable.cases.models import (
    ESCALATED,
    OPEN_STATUSES,
    Case,
    CaseFieldValue,
    CaseTag,
    SavedView,
)
from amiable.core.errors import NotFoundError

SORTS: dict[str, tuple[str, ...]] = {
    "-last_activity_at": ("-last_activity_at", "-id"),
    "last_activity_at": ("last_activity_at", "id"),
    "-opened_at": ("-opened_at", "-id"),
    "opened_at": ("opened_at", "id"),
}
DEFAULT_SORT = "-last_activity_at"
# What the case page and the case API show beside the case itself, in one join.
DETAIL_RELATED = (
    "customer",
    "assignee",
    "team",
    "root_cause",
    "escalation_owner",
    "sla_policy",
    "sla_calendar__calendar",
)


@dataclass(frozen=True)
class CaseFilters:
    statuses: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    team_id: int | None = None
    assignee: str = ""  # "", "me", "none" or a user id
    customer_id: int | None = None
    text: str = ""
    open_only: bool = False
    sla_states: tuple[str, ...] = ()  # "at_risk", "breached", …
    escalation_levels: tuple[int, ...] = ()
    tag: str = ""  # a tag's name
    field_key: str = ""  # a custom field's key, with the value it must have
    field_value: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def case_visible_queryset(*, actor: User) -> QuerySet[Case]:
    """Cases the actor may see: all for quality managers and admins; otherwise the
    actor's team's cases, unteamed cases and cases assigned to the actor."""
    queryset = Case.objects.all()
    if sees_all_cases(actor):
        return queryset
    scope = Q(team__isnull=True) | Q(assignee=actor)
    if actor.team_id is not None:
        scope |= Q(team_id=actor.team_id)
    return queryset.filter(scope)


def case_is_visible(*, actor: User, case: Case) -> bool:
    """The rule of ``case_visible_queryset`` for a case already loaded."""
    return (
        sees_all_cases(actor)
        or case.team_id is None
        or case.assignee_id == actor.pk
        or (actor.team_id is not None and case.team_id == actor.team_id)
    )


def case_list(*, actor: User, filters: CaseFilters) -> QuerySet[Case]:
    """The inbox query, scoped and filtered, with what a row shows already joined."""
    queryset = case_visible_queryset(actor=actor).select_related(
        "customer", "assignee", "team"
    )
    if filters.statuses:
        queryset = queryset.filter(status__in=filters.statuses)
    elif filters.open_only:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    if filters.kinds:
        queryset = queryset.filter(kind__in=filters.kinds)
    if filters.priorities:
        queryset = queryset.filter(priority__in=filters.priorities)
    if filters.team_id is not None:
        queryset = queryset.filter(team_id=filters.team_id)
    if filters.assignee == "me":
        queryset = queryset.filter(assignee=actor)
    elif filters.assignee == "none":
        queryset = queryset.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        queryset = queryset.filter(assignee_id=int(filters.assignee))
    if filters.customer_id is not None:
        queryset = queryset.filter(customer_id=filters.customer_id)
    if filters.sla_states:
        queryset = queryset.filter(sla_state__in=filters.sla_states)
    if filters.escalation_levels:
        queryset = queryset.filter(
            ESCALATED, escalation_level__in=filters.escalation_levels
        )
    if filters.tag:
        # The tag's cases from the (tag, case) index, not a walk of every case.
        queryset = queryset.filter(
            pk__in=CaseTag.objects.filter(tag__name=filters.tag).values("case_id")
        )
    if filters.field_key and filters.field_value:
        queryset = queryset.filter(
            pk__in=CaseFieldValue.objects.filter(
                field__key=filters.field_key, value=filters.field_value
            ).values("case_id")
        )
    if filters.text.strip():
        from amiable.cases.search import case_search_filter

        queryset = case_search_filter(queryset, filters.text)
    return queryset


def case_counts_by_status(*, actor: User, filters: CaseFilters) -> dict[str, int]:
    """How many cases per status match the filters (status filter itself ignored)."""
    base = case_list(
        actor=actor,
        filters=CaseFilters(
            kinds=filters.kinds,
            priorities=filters.priorities,
            team_id=filters.team_id,
            assignee=filters.assignee,
            customer_id=filters.customer_id,
            text=filters.text,
            sla_states=filters.sla_states,
            escalation_levels=filters.escalation_levels,
            tag=filters.tag,
            field_key=filters.field_key,
            field_value=filters.field_value,
        ),
    )
    rows = base.order_by().values("status").annotate(total=Count("id"))
    return {row["status"]: row["total"] for row in rows}


def case_get(*, actor: User, case_id: int) -> Case:
    """One visible case with its customer, assignee and team. Raises NotFoundError.

    Not ``first()``: ordering a one-row primary-key lookup costs nothing in SQL but
    makes the ORM hash each of the ~120 joined columns to match the ORDER BY."""
    rows = list(
        case_visible_queryset(actor=actor)
        .select_related(*DETAIL_RELATED)
        .filter(pk=case_id)
        .order_by()[:1]
    )
    if not rows:
        raise NotFoundError(_("No such case."))
    return rows[0]


def case_get_opened(*, actor: User, case_id: int) -> Case:
    """A case the actor has just opened, to answer with: routing may have sent it
    to a team the actor does not see, but they wrote every field of it."""
    return Case.objects.select_related(*DETAIL_RELATED).get(pk=case_id)


def case_get_by_reference(*, actor: User, reference: str) -> Case:
    case = (
        case_visible_queryset(actor=actor)
        .select_related(*DETAIL_RELATED)
        .filter(reference=reference.strip().upper())
        .first()
    )
    if case is None:
        raise NotFoundError(_("No such case."))
    return case


def saved_view_list(*, actor: User) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=actor)
