"""Reading incidents, their cases and their bulk actions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import OPEN_STATUSES, Case
from amiable.cases.selectors import case_visible_queryset
from amiable.core.errors import NotFoundError
from amiable.quality.models import Incident, IncidentBulkAction


@dataclass(frozen=True)
class IncidentFilters:
    status: str = ""


def incident_list(*, actor: User, filters: IncidentFilters) -> QuerySet[Incident]:
    """Every incident (all staff see them), with the number of linked cases and of
    those still open (one query)."""
    queryset = Incident.objects.select_related("owner").annotate(
        case_count=Count("links"),
        open_count=Count("links", filter=Q(links__case__status__in=OPEN_STATUSES)),
    )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    return queryset


def incident_get(*, actor: User, incident_id: int) -> Incident:
    incident = (
        Incident.objects.select_related("owner", "root_cause", "created_by")
        .filter(pk=incident_id)
        .first()
    )
    if incident is None:
        raise NotFoundError(_("No such incident."))
    return incident


def incident_cases(*, actor: User, incident: Incident) -> QuerySet[Case]:
    """The incident's cases the actor sees (the ones a bulk action reaches)."""
    return (
        case_visible_queryset(actor=actor)
        .filter(incident_link__incident=incident)
        .select_related("customer", "team", "assignee")
    )


def incident_case_count(*, incident: Incident) -> int:
    return Case.objects.filter(incident_link__incident=incident).count()


def incident_actions(*, incident: Incident) -> list[IncidentBulkAction]:
    return list(
        IncidentBulkAction.objects.filter(incident=incident)
        .select_related("requested_by", "root_cause")
        .order_by("-created_at", "-id")[:10]
    )


def incident_action_get(*, incident: Incident, action_id: int) -> IncidentBulkAction:
    action = (
        IncidentBulkAction.objects.filter(incident=incident, pk=action_id)
        .select_related("requested_by")
        .first()
    )
    if action is None:
        raise NotFoundError(_("No such action."))
    return action
