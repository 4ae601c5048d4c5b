"""Pure role policy: what each staff role may do. No database access here."""

from __future__ import annotations

from amiable.accounts.models import Role, User

ROLE_RANK = {
    Role.AGENT: 0,
    Role.SUPERVISOR: 1,
    Role.QUALITY_MANAGER: 2,
    Role.ADMIN: 3,
}


def role_rank(user: User) -> int:
    return ROLE_RANK.get(Role(user.role), 0)


def sees_all_cases(user: User) -> bool:
    """Quality managers and administrators see every team's cases."""
    return user.is_superuser or user.role in {Role.QUALITY_MANAGER, Role.ADMIN}


def can_assign_others(user: User) -> bool:
    """Agents may take a case for themselves; supervisors and above assign anyone."""
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]


def can_merge_customers(user: User) -> bool:
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]


def can_manage_catalog(user: User) -> bool:
    """Products are edited by administrators (and imports running as one)."""
    return user.is_superuser or user.role == Role.ADMIN


def can_manage_tokens_of_others(user: User) -> bool:
    return user.is_superuser or user.role == Role.ADMIN
