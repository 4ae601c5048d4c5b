"""Which gestures, budgets and campaigns an actor may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors import case_is_visible, case_visible_queryset
from amiable.core.config_cache import ConfigCache
from amiable.core.errors import NotFoundError
from amiable.gestures.models import (
    Budget,
    Gesture,
    GestureReason,
    GestureStatus,
    GestureType,
)
from amiable.gestures.permissions import sees_all_teams

GESTURE_RELATED = (
    "customer",
    "case",
    "order",
    "gesture_type",
    "reason",
    "requested_by",
    "applied_by",
    "team",
)


def gesture_visible_queryset(*, actor: User) -> QuerySet[Gesture]:
    """Quality managers and administrators see every gesture; others see those of
    the cases they may see, their team's gestures without a case, their own
    requests and price-protection vouchers."""
    queryset = Gesture.objects.all()
    if sees_all_teams(actor):
        return queryset
    scope = (
        Q(case_id__in=case_visible_queryset(actor=actor).values("pk"))
        | Q(requested_by=actor)
        | Q(case__isnull=True, campaign__isnull=False)
    )
    if actor.team_id is not None:
        scope |= Q(case__isnull=True, team_id=actor.team_id)
    return queryset.filter(scope)


def gesture_list(
    *,
    actor: User,
    status: str = "",
    customer_id: int | None = None,
    case_id: int | None = None,
) -> QuerySet[Gesture]:
    queryset = gesture_visible_queryset(actor=actor).select_related(*GESTURE_RELATED)
    if status:
        queryset = queryset.filter(status=status)
    if customer_id is not None:
        queryset = queryset.filter(customer_id=customer_id)
    if case_id is not None:
        queryset = queryset.filter(case_id=case_id)
    return queryset


def gesture_list_for_case(*, actor: User, case: Case) -> QuerySet[Gesture]:
    """The gestures of ``case`` the actor sees, unordered, nothing joined: every
    gesture of a case the actor sees is visible (the scope is not joined again)."""
    if case_is_visible(actor=actor, case=case):
        return Gesture.objects.filter(case_id=case.pk)
    return gesture_visible_queryset(actor=actor).filter(case_id=case.pk)


OVERVIEW_SIZE = 20


@dataclass(frozen=True)
class CustomerGesture:
    """A gesture granted or asked for the customer; another team's is read-only."""

    gesture: Gesture
    is_visible: bool


def gesture_list_customer_overview(
    *, actor: User, customer_id: int, exclude_case_id: int | None = None
) -> list[CustomerGesture]:
    """The customer's pending and applied gestures across every team, newest first,
    so nobody grants a second gesture for the same trouble unaware. One narrow
    query (their ids) when there is none, as for most customers; then one for the
    rows with their type, case and team."""
    queryset = Gesture.objects.filter(
        customer_id=customer_id,
        status__in=[GestureStatus.PENDING, GestureStatus.APPLIED],
    )
    if exclude_case_id is not None:
        queryset = queryset.exclude(case_id=exclude_case_id)
    ids = list(
        queryset.order_by("-requested_at", "-id").values_list("pk", flat=True)[
            :OVERVIEW_SIZE
        ]
    )
    if not ids:
        return []
    related = ("case__team", "team", "gesture_type")
    found = Gesture.objects.select_related(*related).in_bulk(ids)
    gestures = [found[pk] for pk in ids if pk in found]
    visible_all = sees_all_teams(actor)
    return [
        CustomerGesture(
            gesture=gesture,
            is_visible=visible_all
            or gesture.requested_by_id == actor.pk
            or (
                case_is_visible(actor=actor, case=gesture.case)
                if gesture.case is not None
                else gesture.campaign_id is not None
                or (gesture.team_id is not None and gesture.team_id == actor.team_id)
            ),
        )
        for gesture in gestures
    ]


def gesture_get(*, actor: User, gesture_id: int) -> Gesture:
    """One visible gesture with its related rows. Raises NotFoundError."""
    gesture = gesture_list(actor=actor).filter(pk=gesture_id).first()
    if gesture is None:
        raise NotFoundError(_("No such gesture."))
    return gesture


def gesture_list_for_portal(*, case_id: int) -> list[Gesture]:
    """What the customer sees on their own case: applied gestures only."""
    return list(
        Gesture.objects.filter(case_id=case_id, status=GestureStatus.APPLIED)
        .select_related("gesture_type")
        .order_by("applied_at", "id")
    )


def gesture_type_list(
    *, actor: User | None, active_only: bool = True
) -> QuerySet[GestureType]:
    queryset = GestureType.objects.prefetch_related("reasons")
    if active_only:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("code")


# The proposal form on every case page reads them; they change a few times a year.
ACTIVE_GESTURE_TYPES: ConfigCache[list[GestureType]] = ConfigCache(
    "gestures.active_types",
    lambda: list(gesture_type_list(actor=None)),
    models=(GestureType, GestureReason),
)


def gesture_type_list_active(*, actor: User | None) -> list[GestureType]:
    """The active gesture types with their reasons, shared by the process's
    requests: read them, never change them (``core.config_cache``)."""
    return ACTIVE_GESTURE_TYPES.get()


def gesture_reason_list() -> QuerySet[GestureReason]:
    """Reason codes (the catalogue is public to every staff member)."""
    return GestureReason.objects.order_by("code")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def budget_list(*, actor: User, month: dt.date | None = None) -> QuerySet[Budget]:
    """Budgets with their live consumption: every team's for quality managers and
    administrators, the actor's team's for the others."""
    queryset = Budget.objects.select_related("team", "gesture_type")
    if month is not None:
        queryset = queryset.filter(month=month_start(month))
    if not sees_all_teams(actor):
        if actor.team_id is None:
            return Budget.objects.none()
        queryset = queryset.filter(team_id=actor.team_id)
    return queryset.order_by("team__name", "gesture_type__code", "-month")


def budget_month(at: dt.datetime) -> dt.date:
    """The budget month of a moment: the first day of its month in Paris."""
    return timezone.localtime(at).date().replace(day=1)


def budget_for(
    *, team_id: int | None, gesture_type_id: int, at: dt.datetime
) -> Budget | None:
    """The budget of (team, type) for the month of ``at``, if any."""
    if team_id is None:
        return None
    return Budget.objects.filter(
        team_id=team_id, gesture_type_id=gesture_type_id, month=budget_month(at)
    ).first()
