"""The escalation queues (supervisor, quality manager) and the team workload."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from amiable.accounts.models import Role, Team, User
from amiable.cases.models import (
    ESCALATED,
    IS_OPEN,
    Case,
    CaseStatus,
    EscalationLevel,
    SlaState,
)
from amiable.cases.permissions import (
    sees_quality_queue,
    sees_supervisor_queue,
    sees_team_workload,
)
from amiable.cases.selectors.cases import case_visible_queryset

QUEUE_RELATED = ("customer", "assignee", "team", "escalation_owner")


def _is_admin(actor: User) -> bool:
    return actor.is_superuser or actor.role == Role.ADMIN


def case_supervisor_queue(*, actor: User) -> QuerySet[Case]:
    """Open cases on level 1 (supervisor) of the actor's team; every team's for an
    administrator; none for other roles."""
    if not sees_supervisor_queue(actor):
        return Case.objects.none()
    queryset = Case.objects.filter(
        ESCALATED, IS_OPEN, escalation_level=EscalationLevel.SUPERVISOR
    )
    if not _is_admin(actor):
        queryset = (
            queryset.filter(team_id=actor.team_id)
            if actor.team_id
            else (queryset.none())
        )
    return queryset.select_related(*QUEUE_RELATED)


def case_quality_queue(*, actor: User, mine: bool = False) -> QuerySet[Case]:
    """Open cases escalated to the quality manager or beyond (levels 2 to 4);
    ``mine``: only those the actor owns. None for other roles."""
    if not sees_quality_queue(actor):
        return Case.objects.none()
    queryset = Case.objects.filter(
        ESCALATED,
        IS_OPEN,
        escalation_level__in=[
            EscalationLevel.QUALITY_MANAGER,
            EscalationLevel.MEDIATOR,
            EscalationLevel.LEGAL,
        ],
    )
    if mine:
        queryset = queryset.filter(escalation_owner=actor)
    return queryset.select_related(*QUEUE_RELATED)


def supervisor_queue_count(*, actor: User) -> int | None:
    """The navigation badge: one COUNT, None when zero or not a supervisor."""
    if not sees_supervisor_queue(actor):
        return None
    return case_supervisor_queue(actor=actor).order_by().count() or None


def quality_queue_count(*, actor: User) -> int | None:
    if not sees_quality_queue(actor):
        return None
    return case_quality_queue(actor=actor).order_by().count() or None


@dataclass(frozen=True)
class AgentLoad:
    agent: User
    open_total: int
    new: int
    open: int
    waiting: int
    at_risk: int
    breached: int
    escalated: int


def workload_teams(*, actor: User) -> QuerySet[Team]:
    """The teams whose workload the actor may see: every team for those who see
    all cases, else their own."""
    if _is_admin(actor) or actor.role == Role.QUALITY_MANAGER:
        return Team.objects.all()
    return (
        Team.objects.filter(pk=actor.team_id) if actor.team_id else Team.objects.none()
    )


def team_unassigned_count(*, actor: User, team: Team) -> int:
    """Open cases of the team that nobody handles yet (one COUNT)."""
    return (
        case_visible_queryset(actor=actor)
        .filter(IS_OPEN & Q(assignee__isnull=True), team=team)
        .order_by()
        .count()
    )


def team_workload(*, actor: User, team: Team) -> list[AgentLoad]:
    """Open cases per member of ``team`` (two queries, whatever the number of
    cases); an agent sees their own line only."""
    members = User.objects.filter(team=team, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    if not sees_team_workload(actor):
        members = members.filter(pk=actor.pk)
    people = list(members)
    rows = (
        case_visible_queryset(actor=actor)
        .filter(IS_OPEN, assignee__in=people)
        .order_by()
        .values("assignee")
        .annotate(
            total=Count("id"),
            new=Count("id", filter=Q(status=CaseStatus.NEW)),
            open=Count("id", filter=Q(status=CaseStatus.OPEN)),
            waiting=Count(
                "id",
                filter=Q(
                    status__in=[
                        CaseStatus.WAITING_CUSTOMER,
                        CaseStatus.WAITING_THIRD_PARTY,
                    ]
                ),
            ),
            at_risk=Count("id", filter=Q(sla_state=SlaState.AT_RISK)),
            breached=Count("id", filter=Q(sla_state=SlaState.BREACHED)),
            escalated=Count("id", filter=Q(escalation_level__gt=0)),
        )
    )
    by_agent = {row["assignee"]: row for row in rows}
    empty = {"total": 0, "new": 0, "open": 0, "waiting": 0}
    return [
        AgentLoad(
            agent=person,
            open_total=by_agent.get(person.pk, empty)["total"],
            new=by_agent.get(person.pk, empty)["new"],
            open=by_agent.get(person.pk, empty)["open"],
            waiting=by_agent.get(person.pk, empty)["waiting"],
            at_risk=by_agent.get(person.pk, {}).get("at_risk", 0),
            breached=by_agent.get(person.pk, {}).get("breached", 0),
            escalated=by_agent.get(person.pk, {}).get("escalated", 0),
        )
        for person in people
    ]
