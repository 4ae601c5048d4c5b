"""Who may read survey results (pure policy)."""

from __future__ import annotations

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK, role_rank


def can_view_feedback(user: User) -> bool:
    """Supervisors, quality managers and administrators read results and verbatims;
    agents see a customer's surveys on the customer page only."""
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]
