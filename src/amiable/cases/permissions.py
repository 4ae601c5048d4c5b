"""Pure policy of the case ladder and queues: who may escalate how far, who sees
which queue. No database access here."""

from __future__ import annotations

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK, role_rank
from amiable.cases.models import EscalationLevel

# Each level may be reached by the role just below it: an agent asks their
# supervisor, a supervisor hands over to the quality manager, who alone refers a
# case to the consumer mediator or to legal.
ROLE_TO_REACH: dict[int, str] = {
    EscalationLevel.SUPERVISOR: Role.AGENT,
    EscalationLevel.QUALITY_MANAGER: Role.SUPERVISOR,
    EscalationLevel.MEDIATOR: Role.QUALITY_MANAGER,
    EscalationLevel.LEGAL: Role.QUALITY_MANAGER,
}


def _is_admin(user: User) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


def can_escalate_to(user: User, level: int) -> bool:
    if _is_admin(user):
        return True
    needed = ROLE_TO_REACH.get(level)
    return needed is not None and role_rank(user) >= ROLE_RANK[Role(needed)]


def escalation_levels_for(user: User, current: int) -> list[int]:
    """The levels above ``current`` that ``user`` may put a case on."""
    return [
        level
        for level in EscalationLevel.values
        if level > current and can_escalate_to(user, level)
    ]


def sees_supervisor_queue(user: User) -> bool:
    return _is_admin(user) or user.role == Role.SUPERVISOR


def sees_quality_queue(user: User) -> bool:
    return _is_admin(user) or user.role == Role.QUALITY_MANAGER


def sees_team_workload(user: User) -> bool:
    """Supervisors and above see their team's (or every team's) workload."""
    return _is_admin(user) or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]
