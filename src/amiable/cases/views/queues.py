"""The supervisor's queue, the quality manager's queue and the team workload."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amiable.cases.models import Case
from amiable.cases.permissions import sees_quality_queue, sees_supervisor_queue
from amiable.cases.selectors import (
    case_quality_queue,
    case_supervisor_queue,
    team_unassigned_count,
    team_workload,
    workload_teams,
)
from amiable.core.access import QUALITY, STAFF, Audience, access, rule
from amiable.core.errors import ApplicationError
from amiable.core.pagination import Page, paginate
from amiable.web.requests import request_actor

QUEUE_PAGE_SIZE = 25
# Latest activity first, like the inbox: the escalation index walks in this order.
QUEUE_ORDER = ("-last_activity_at", "-id")


def _page(request: HttpRequest, queryset: QuerySet[Case]) -> tuple[Page[Case], str]:
    cursor = request.GET.get("cursor") or None
    try:
        return paginate(
            queryset, ordering=QUEUE_ORDER, limit=QUEUE_PAGE_SIZE, cursor=cursor
        ), ""
    except ApplicationError as exc:
        return paginate(queryset, ordering=QUEUE_ORDER, limit=QUEUE_PAGE_SIZE), (
            exc.message
        )


def _queue(
    request: HttpRequest, queryset: QuerySet[Case], context: dict[str, Any]
) -> HttpResponse:
    page, error = _page(request, queryset)
    return render(
        request, "cases/queue.html", {"page": page, "error": error, **context}
    )


@access(rule(Audience.SUPERVISOR, Audience.ADMIN))
@login_required
@require_GET
def case_supervisor_queue_view(request: HttpRequest) -> HttpResponse:
    """Open cases escalated to the supervisor (level 1) in the actor's team."""
    actor = request_actor(request)
    if not sees_supervisor_queue(actor):
        raise Http404(_("This queue is for supervisors."))
    return _queue(
        request,
        case_supervisor_queue(actor=actor),
        {
            "title": _("Supervisor queue"),
            "intro": _("Cases your team escalated to you, or that missed a target."),
            "empty": _("Nothing waits for a supervisor."),
        },
    )


@access(QUALITY)
@login_required
@require_GET
def case_quality_queue_view(request: HttpRequest) -> HttpResponse:
    """Open cases on level 2 or above: quality manager, mediator, legal."""
    actor = request_actor(request)
    if not sees_quality_queue(actor):
        raise Http404(_("This queue is for quality managers."))
    mine = request.GET.get("mine") == "1"
    return _queue(
        request,
        case_quality_queue(actor=actor, mine=mine),
        {
            "title": _("Quality queue"),
            "intro": _(
                "Escalated cases handled by an impartial quality manager, and those "
                "referred to the mediator or to legal."
            ),
            "empty": _("No escalated case."),
            "mine": mine,
            "show_mine_toggle": True,
        },
    )


@access(STAFF)
@login_required
@require_GET
def case_workload_view(request: HttpRequest) -> HttpResponse:
    """Open cases per agent of a team: statuses, SLA at risk or breached."""
    actor = request_actor(request)
    teams = list(workload_teams(actor=actor))
    wanted = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == wanted), None)
    if team is None and teams:
        team = next((t for t in teams if t.pk == actor.team_id), teams[0])
    rows = team_workload(actor=actor, team=team) if team is not None else []
    unassigned = (
        team_unassigned_count(actor=actor, team=team) if team is not None else 0
    )
    return render(
        request,
        "cases/workload.html",
        {"teams": teams, "team": team, "rows": rows, "unassigned": unassigned},
    )
