"""Reading one's own notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from amiable.notifications.models import Notification

if TYPE_CHECKING:
    from amiable.accounts.models import User


def notification_list(
    *, actor: User, unread_only: bool = False
) -> QuerySet[Notification]:
    """The actor's notifications, newest first (nobody sees anyone else's)."""
    queryset = Notification.objects.filter(recipient=actor)
    if unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def notification_unread_count(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()
