"""Who may do what with commercial gestures (pure policy, no database)."""

from __future__ import annotations

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK, role_rank

# The approval ladder above an agent: supervisor, then quality manager, then admin.
LADDER = (Role.SUPERVISOR, Role.QUALITY_MANAGER, Role.ADMIN)


def effective_role(user: User) -> Role:
    """A superuser counts as an administrator."""
    return Role.ADMIN if user.is_superuser else Role(user.role)


def next_level(role: str) -> Role | None:
    """The level above ``role`` on the ladder (None above the administrator)."""
    rank = ROLE_RANK[Role(role)]
    for level in LADDER:
        if ROLE_RANK[level] > rank:
            return level
    return None


def is_approver(user: User) -> bool:
    """Supervisors and above decide approval requests."""
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]


def sees_all_teams(user: User) -> bool:
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.QUALITY_MANAGER]


def can_decide_level(user: User, level: str, team_id: int | None) -> bool:
    """A step of ``level`` is decided by that level or above; a supervisor only
    decides for their own team (or a request without a team)."""
    role = effective_role(user)
    if ROLE_RANK[role] < ROLE_RANK[Role(level)]:
        return False
    if role == Role.SUPERVISOR:
        return team_id is None or team_id == user.team_id
    return True


def can_manage_gestures(user: User) -> bool:
    """Catalogue, authority matrix, budgets and settings: administrators."""
    return user.is_superuser or user.role == Role.ADMIN


def can_view_reports(user: User) -> bool:
    """Spend reports, exports and price-protection campaigns: supervisors and up."""
    return is_approver(user)
