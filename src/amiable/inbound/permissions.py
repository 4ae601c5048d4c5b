"""Who may see and act on the inbound channels' administration. Pure functions."""

from __future__ import annotations

from amiable.accounts.models import Role, User


def can_manage_inbound(user: User) -> bool:
    """Quarantine, mailboxes and webhook sources are for administrators."""
    return bool(user.is_superuser or user.role == Role.ADMIN)


def can_reply_publicly(user: User) -> bool:
    """Every staff member who answers customers may publish a review reply."""
    return bool(user.is_active)
