"""The life of a case, per kind: which status may follow which. Pure data; the
services enforce it (``case_change_status``, ``case_resolve``) and audit each move.

Kept as tables rather than a state-machine library: the transitions are data the
API and the page list ("allowed_statuses"), writes go through one optimistic
``UPDATE … WHERE version = …`` in the services (a library that mutates the model
and calls ``save()`` would bypass it), and the rules that depend on more than two
statuses (a resolution summary, a root cause) read the case, not the machine.

What differs per kind: a complaint or a dispute is never closed without being
resolved first (its resolution carries a summary, a category and a root cause);
questions and requests may be closed directly (spam, duplicates, no answer needed).
Leaving ``resolved`` or ``closed`` for ``open`` is a reopen, counted on the case.
"""

from __future__ import annotations

from amiable.cases.models import CaseKind, CaseStatus

S = CaseStatus
WORKING = frozenset({S.NEW, S.OPEN, S.WAITING_CUSTOMER, S.WAITING_THIRD_PARTY})

_DIRECT_CLOSE: dict[str, frozenset[str]] = {
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
_RESOLVE_BEFORE_CLOSE: dict[str, frozenset[str]] = {
    status: targets - {S.CLOSED} if status in WORKING else targets
    for status, targets in _DIRECT_CLOSE.items()
}

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    CaseKind.QUESTION: _DIRECT_CLOSE,
    CaseKind.REQUEST: _DIRECT_CLOSE,
    CaseKind.COMPLAINT: _RESOLVE_BEFORE_CLOSE,
    CaseKind.DISPUTE: _RESOLVE_BEFORE_CLOSE,
}
# Kinds whose resolution needs a category and a root cause from the taxonomies.
NEEDS_ROOT_CAUSE = frozenset({CaseKind.COMPLAINT, CaseKind.DISPUTE})


def _table(kind: str) -> dict[str, frozenset[str]]:
    return TRANSITIONS.get(kind, _DIRECT_CLOSE)


def allowed_next(status: str, kind: str = CaseKind.QUESTION) -> list[str]:
    """The statuses a case of ``kind`` may move to from ``status``, sorted."""
    return sorted(_table(kind).get(status, frozenset()))


def is_allowed(current: str, target: str, kind: str = CaseKind.QUESTION) -> bool:
    return target in _table(kind).get(current, frozenset())


def is_reopen(current: str, target: str) -> bool:
    """Leaving a resolved or closed case for work again."""
    return current in {S.RESOLVED, S.CLOSED} and target in WORKING
