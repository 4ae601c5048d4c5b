"""Who may handle a person's data (pure role policy, no database)."""

from __future__ import annotations

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK, role_rank


def can_export_personal_data(user: User) -> bool:
    """Supervisors, quality managers and administrators; never agents."""
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]


def can_erase_personal_data(user: User) -> bool:
    """Erasure cannot be undone: administrators only."""
    return user.is_superuser or user.role == Role.ADMIN


def can_see_data_requests(user: User) -> bool:
    return can_export_personal_data(user)
