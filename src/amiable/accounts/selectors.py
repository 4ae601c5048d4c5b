"""Reads of accounts data."""

from __future__ import annotations

from django.db.models import QuerySet

from amiable.accounts.models import ApiToken, Role, Team, User
from amiable.accounts.permissions import can_manage_tokens_of_others


def user_list_assignable(*, actor: User) -> QuerySet[User]:
    """Active staff the actor may see in assignee pickers."""
    return (
        User.objects.filter(is_active=True)
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )


def team_list(*, actor: User) -> QuerySet[Team]:
    return Team.objects.all()


def token_list(*, actor: User, user: User | None = None) -> QuerySet[ApiToken]:
    """Tokens of ``user`` (default: the actor); others' only for administrators."""
    owner = user or actor
    if owner.pk != actor.pk and not can_manage_tokens_of_others(actor):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=owner)


def administrators_count() -> int:
    """How many active administrators can sign in (for the start banner)."""
    return User.objects.filter(role=Role.ADMIN, is_active=True).count()
