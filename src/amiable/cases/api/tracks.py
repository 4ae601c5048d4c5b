"""API of what a case goes through after it opens: resolution, SLA clocks, the
escalation ladder; and of what frames it: the taxonomies, the SLA policies, the
escalation queues and the team workload."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query
from ninja.responses import Status

from amiable.accounts.models import Role, User
from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ErrorOut, Id, ListQuery, PageOut
from amiable.cases import selectors, services
from amiable.cases.api.router import router
from amiable.cases.models import Case, CaseEscalation
from amiable.cases.permissions import sees_quality_queue, sees_supervisor_queue
from amiable.cases.schemas import (
    AgentLoadOut,
    CaseDetailOut,
    CaseEscalateIn,
    CaseOut,
    CaseResolveIn,
    CaseSlaOut,
    EscalationOut,
    QualityQueueQuery,
    SlaPolicyOut,
    TaxonomyEntryOut,
    WorkloadOut,
    WorkloadQuery,
)
from amiable.core.access import QUALITY, STAFF, TEAM, Audience, access, rule
from amiable.core.errors import NotFoundError, PermissionDeniedError, ValidationError

ERRORS: dict[int, type[ErrorOut]] = dict.fromkeys(
    (400, 401, 403, 404, 409, 422), ErrorOut
)
QUEUE_ORDER = ("-last_activity_at", "-id")


@router.get("/taxonomy/categories", response={200: list[TaxonomyEntryOut], **ERRORS})
@access(STAFF)
def case_category_list_api(
    request: HttpRequest, include_inactive: bool = False
) -> list[Any]:
    """The case categories (``Case.category`` holds the code)."""
    return list(
        selectors.category_list(
            actor=actor_of(request), active_only=not include_inactive
        )
    )


@router.get("/taxonomy/root-causes", response={200: list[TaxonomyEntryOut], **ERRORS})
@access(STAFF)
def root_cause_list_api(
    request: HttpRequest, include_inactive: bool = False
) -> list[Any]:
    """The root causes; families have ``parent_id`` null."""
    return list(
        selectors.root_cause_list(
            actor=actor_of(request), active_only=not include_inactive
        )
    )


@router.get("/sla/policies", response={200: list[SlaPolicyOut], **ERRORS})
@access(STAFF)
def sla_policy_list_api(request: HttpRequest) -> list[Any]:
    """SLA policies in the order they are tried; targets in business minutes."""
    return list(selectors.sla_policy_list(actor=actor_of(request)))


@router.get("/queues/supervisor", response={200: PageOut[CaseOut], **ERRORS})
@access(rule(Audience.SUPERVISOR, Audience.ADMIN))
def case_supervisor_queue_api(
    request: HttpRequest, params: Query[ListQuery]
) -> dict[str, Any]:
    """Open cases on level 1 of the caller's team (supervisors, administrators)."""
    actor = actor_of(request)
    if not sees_supervisor_queue(actor):
        raise PermissionDeniedError(_("This queue is for supervisors."))
    return page_of(
        selectors.case_supervisor_queue(actor=actor).prefetch_related(
            *selectors.CLASSIFICATION_PREFETCH
        ),
        ordering=QUEUE_ORDER,
        limit=params.limit,
        cursor=params.cursor,
    )


@router.get("/queues/quality", response={200: PageOut[CaseOut], **ERRORS})
@access(QUALITY)
def case_quality_queue_api(
    request: HttpRequest, params: Query[QualityQueueQuery]
) -> dict[str, Any]:
    """Open cases on levels 2 to 4 (quality managers, administrators); ``mine``:
    those the caller owns."""
    actor = actor_of(request)
    if not sees_quality_queue(actor):
        raise PermissionDeniedError(_("This queue is for quality managers."))
    return page_of(
        selectors.case_quality_queue(actor=actor, mine=params.mine).prefetch_related(
            *selectors.CLASSIFICATION_PREFETCH
        ),
        ordering=QUEUE_ORDER,
        limit=params.limit,
        cursor=params.cursor,
    )


@router.get("/queues/workload", response={200: WorkloadOut, **ERRORS})
@access(STAFF)
def case_workload_api(
    request: HttpRequest, params: Query[WorkloadQuery]
) -> dict[str, Any]:
    """Open cases per member of a team (default: the caller's); agents get their
    own line only."""
    actor = actor_of(request)
    team_id = params.team_id or actor.team_id
    team = (
        selectors.workload_teams(actor=actor).filter(pk=team_id).first()
        if team_id is not None
        else None
    )
    if team is None:
        raise NotFoundError(_("No such team."), fields={"team_id": [_("Unknown.")]})
    rows = selectors.team_workload(actor=actor, team=team)
    return {
        "team": {"id": team.pk, "name": team.name},
        "unassigned": selectors.team_unassigned_count(actor=actor, team=team),
        "agents": [
            AgentLoadOut(
                agent=row.agent,  # type: ignore[arg-type]
                is_available=row.agent.is_available,
                open_total=row.open_total,
                new=row.new,
                open=row.open,
                waiting=row.waiting,
                at_risk=row.at_risk,
                breached=row.breached,
                escalated=row.escalated,
            )
            for row in rows
        ],
    }


@router.post("/{case_id}/resolve", response={200: CaseDetailOut, **ERRORS})
@access(TEAM)
def case_resolve_api(request: HttpRequest, case_id: Id, payload: CaseResolveIn) -> Case:
    """Resolve the case: 422 listing what is missing (summary; for complaints and
    disputes, category and root cause), 409 when its status cannot be resolved."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    root_cause = None
    if payload.root_cause_id is not None:
        root_cause = (
            selectors.root_cause_list(actor=actor, active_only=False)
            .filter(pk=payload.root_cause_id)
            .first()
        )
        if root_cause is None:
            raise ValidationError(
                _("No such root cause."), fields={"root_cause_id": [_("Unknown.")]}
            )
    services.case_resolve(
        actor=actor,
        case=case,
        resolution_summary=payload.resolution_summary,
        category=payload.category,
        root_cause=root_cause,
        expected_version=payload.version,
    )
    return selectors.case_get(actor=actor, case_id=case_id)


@router.get("/{case_id}/sla", response={200: CaseSlaOut, **ERRORS})
@access(TEAM)
def case_sla_api(request: HttpRequest, case_id: Id) -> dict[str, Any]:
    """The case's SLA clocks (due times in UTC, business time on the calendar
    version they started with)."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    version = case.sla_calendar
    return {
        "state": case.sla_state,
        "due_at": case.sla_due_at,
        "policy": (
            {"id": case.sla_policy.pk, "name": case.sla_policy.name}
            if case.sla_policy
            else None
        ),
        "calendar": (
            {
                "id": version.calendar_id,
                "name": version.calendar.name,
                "version": version.number,
                "time_zone": version.definition["time_zone"],
            }
            if version
            else None
        ),
        "clocks": selectors.case_sla_clocks(actor=actor, case=case),
    }


@router.get("/{case_id}/escalations", response={200: list[EscalationOut], **ERRORS})
@access(TEAM)
def case_escalation_list_api(request: HttpRequest, case_id: Id) -> list[Any]:
    """Every climb of the ladder: who, when, why, to which level."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    return list(selectors.case_escalation_list(actor=actor, case=case))


def _owner(owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    owner = User.objects.filter(
        pk=owner_id, role=Role.QUALITY_MANAGER, is_active=True
    ).first()
    if owner is None:
        raise ValidationError(
            _("No such quality manager."), fields={"owner_id": [_("Unknown.")]}
        )
    return owner


@router.post("/{case_id}/escalations", response={201: EscalationOut, **ERRORS})
@access(TEAM)
def case_escalate_api(
    request: HttpRequest, case_id: Id, payload: CaseEscalateIn
) -> Status[CaseEscalation]:
    """Climb the ladder: 403 when the caller's role cannot reach the level, 409
    when it is not above the current one, 422 when the quality manager named took
    part in the case (impartiality) or nobody impartial is left."""
    actor = actor_of(request)
    case = selectors.case_get(actor=actor, case_id=case_id)
    row = services.case_escalate(
        actor=actor,
        case=case,
        level=payload.level,
        reason=payload.reason,
        owner=_owner(payload.owner_id),
        expected_version=payload.version,
    )
    return Status(201, row)
