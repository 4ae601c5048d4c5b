"""Reading one's own notifications."""

from __future__ import annotations

from collections.abc import Iterable
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


def notification_unread_urls(
    *, actor: User, kind: str, urls: Iterable[str]
) -> set[str]:
    """Which of ``urls`` the actor has an unread notification of ``kind`` about
    (one query on the unread index)."""
    return set(
        Notification.objects.filter(
            recipient=actor, read_at__isnull=True, kind=kind, url__in=list(urls)
        ).values_list("url", flat=True)
    )
