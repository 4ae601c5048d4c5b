"""The authority matrix: what an actor may grant alone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from amiable.accounts.models import Role, User
from amiable.gestures.models import AuthorityLimit, Gesture, GestureStatus
from amiable.gestures.permissions import effective_role


@dataclass(frozen=True)
class Authority:
    """The limit that applies to one actor for one type, and where the customer
    stands against it. ``limit`` None: no row, so nothing may be granted alone
    (administrators excepted: they are the top of the ladder)."""

    limit: AuthorityLimit | None
    is_unlimited: bool
    granted_in_period: Decimal

    def covers(self, value: Decimal) -> bool:
        if self.is_unlimited:
            return True
        if self.limit is None or value > self.limit.max_per_gesture:
            return False
        cap = self.limit.max_per_customer
        return cap is None or self.granted_in_period + value <= cap


def authority_limit_list(*, actor: User | None = None) -> QuerySet[AuthorityLimit]:
    return AuthorityLimit.objects.select_related("team", "gesture_type").order_by(
        "gesture_type__code", "role", "team__name"
    )


def authority_for(
    *,
    user: User,
    gesture_type_id: int,
    customer_id: int,
    at: dt.datetime,
    exclude_id: int | None = None,
) -> Authority:
    """The limit of ``user``'s role (their team's row, else the all-teams row) and
    what the customer got of this type over that limit's period (two queries)."""
    role = effective_role(user)
    rows = list(
        AuthorityLimit.objects.filter(
            Q(team_id=user.team_id) | Q(team__isnull=True),
            role=role,
            gesture_type_id=gesture_type_id,
        )
    )
    rows.sort(key=lambda row: row.team_id is None)  # the team's row first
    limit = rows[0] if rows else None
    granted = Decimal(0)
    if limit is not None and limit.max_per_customer is not None:
        queryset = Gesture.objects.filter(
            customer_id=customer_id,
            gesture_type_id=gesture_type_id,
            status=GestureStatus.APPLIED,
            applied_at__gte=at - dt.timedelta(days=limit.period_days),
        )
        if exclude_id is not None:
            queryset = queryset.exclude(pk=exclude_id)
        granted = queryset.aggregate(total=Sum("value"))["total"] or Decimal(0)
    return Authority(
        limit=limit,
        is_unlimited=limit is None and role == Role.ADMIN,
        granted_in_period=granted,
    )
