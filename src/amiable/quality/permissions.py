"""Who may see and change problems, incidents and the quality figures. Pure policy."""

from __future__ import annotations

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK, role_rank


def can_view_quality(user: User) -> bool:
    """Problems and first-contact resolution: supervisors and above."""
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]


def can_manage_problems(user: User) -> bool:
    """Owners, corrective actions: the quality manager (impartial) and admins."""
    return user.is_superuser or user.role in {Role.QUALITY_MANAGER, Role.ADMIN}


def can_manage_incidents(user: User) -> bool:
    """Declare an incident, reply to or resolve all its cases: supervisors and
    above. Agents see incidents and link their cases to them."""
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]
