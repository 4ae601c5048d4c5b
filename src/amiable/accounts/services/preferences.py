"""A staff member's own preferences."""

from __future__ import annotations

from django.db import transaction

from amiable.accounts.models import User
from amiable.audit.services import audit_record


@transaction.atomic
def user_notify_by_email_set(*, actor: User, is_on: bool) -> User:
    """Turn the actor's notifications by e-mail on or off (their own only)."""
    before = actor.notify_by_email
    if before != is_on:
        User.objects.filter(pk=actor.pk).update(notify_by_email=is_on)
        actor.notify_by_email = is_on
        audit_record(
            actor=actor,
            action="user.notify_by_email",
            instance=actor,
            before={"notify_by_email": before},
            after={"notify_by_email": is_on},
        )
    return actor
