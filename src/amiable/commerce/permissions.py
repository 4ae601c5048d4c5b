"""Pure policy of commerce: who may import carrier files and read the quarantine."""

from __future__ import annotations

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK, role_rank


def can_manage_tracking(user: User) -> bool:
    """Supervisors and above (and administrators) handle carrier data."""
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]
