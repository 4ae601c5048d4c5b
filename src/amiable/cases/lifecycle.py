"""Which status may follow which. Pure data; services enforce it."""

from __future__ import annotations

from amiable.cases.models import CaseStatus

S = CaseStatus
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset(
        {S.OPEN, S.WAITING_CUSTOMER, S.WAITING_THIRD_PARTY, S.RESOLVED, S.CLOSED}
    ),
    S.OPEN: frozenset(
        {S.WAITING_CUSTOMER, S.WAITING_THIRD_PARTY, S.RESOLVED, S.CLOSED}
    ),
    S.WAITING_CUSTOMER: frozenset(
        {S.OPEN, S.WAITING_THIRD_PARTY, S.RESOLVED, S.CLOSED}
    ),
    S.WAITING_THIRD_PARTY: frozenset(
        {S.OPEN, S.WAITING_CUSTOMER, S.RESOLVED, S.CLOSED}
    ),
    S.RESOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset({S.OPEN}),
}


def allowed_next(status: str) -> list[str]:
    return sorted(ALLOWED_TRANSITIONS.get(status, frozenset()))


def is_allowed(current: str, target: str) -> bool:
    return target in ALLOWED_TRANSITIONS.get(current, frozenset())
