"""Who may do what on the dispute track and the cost reports. Pure policy."""

from __future__ import annotations

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK, role_rank


def can_view_cost_reports(user: User) -> bool:
    """Supervisors (their team's cases), quality managers and administrators."""
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]
