"""Who may manage which macro: pure policy, no database access."""

from __future__ import annotations

from amiable.accounts.models import Role, User


def can_manage_team_macros(user: User, team_id: int | None) -> bool:
    """Administrators manage every team's macros; supervisors their own team's."""
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return (
        user.role == Role.SUPERVISOR and team_id is not None and user.team_id == team_id
    )


def can_manage_macro(user: User, *, team_id: int | None, owner_id: int | None) -> bool:
    """A personal macro is its owner's alone; a team macro follows
    ``can_manage_team_macros``."""
    if owner_id is not None:
        return owner_id == user.pk
    return can_manage_team_macros(user, team_id)
