"""Pure policy: who may do what with a promise. No database access here."""

from __future__ import annotations

from amiable.accounts.models import Role, User
from amiable.accounts.permissions import ROLE_RANK, role_rank
from amiable.promises.models import Promise, PromiseSource


def is_supervisor_or_above(user: User) -> bool:
    return user.is_superuser or role_rank(user) >= ROLE_RANK[Role.SUPERVISOR]


def can_cancel_promise(user: User, promise: Promise) -> bool:
    """Agents cancel their own promises; automatic ones and others' need a
    supervisor or above."""
    if is_supervisor_or_above(user):
        return True
    return promise.source == PromiseSource.AGENT and promise.made_by_id == user.pk
