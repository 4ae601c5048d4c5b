"""Sending and reading notifications."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from amiable.core.clock import now
from amiable.notifications.emailing import notification_email_queue
from amiable.notifications.models import Notification

if TYPE_CHECKING:
    from amiable.accounts.models import User


def notification_send(
    *,
    recipients: Iterable[User],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """Notify each active recipient once; returns the notifications created.

    With a ``dedupe_key``, a recipient who already got that key gets nothing new
    (safe to call from scans that run again and again). Inactive users and
    duplicates in ``recipients`` are skipped. A recipient who asked for e-mails
    (``notify_by_email``) gets one after commit.
    """
    created: list[Notification] = []
    seen: set[int] = set()
    stamp = now()
    for recipient in recipients:
        if recipient.pk in seen or not recipient.is_active:
            continue
        seen.add(recipient.pk)
        if (
            dedupe_key
            and Notification.objects.filter(
                recipient=recipient, dedupe_key=dedupe_key
            ).exists()
        ):
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient,
                    kind=kind,
                    title=title[:200],
                    body=body,
                    url=url[:500],
                    dedupe_key=dedupe_key[:200],
                    created_at=stamp,
                )
        except IntegrityError:
            continue  # a concurrent scan sent it first
        created.append(notification)
        notification_email_queue(notification)
    return created


def notification_mark_read(*, actor: User, notification_ids: Iterable[int]) -> int:
    """Mark the actor's own notifications read; returns how many changed."""
    return Notification.objects.filter(
        recipient=actor, pk__in=list(notification_ids), read_at__isnull=True
    ).update(read_at=now())


def notification_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=now()
    )


def notification_mark_read_about(*, actor: User, kind: str, url: str) -> int:
    """Mark read the actor's unread notifications of ``kind`` linking to ``url``
    (the case they just opened); returns how many changed."""
    return Notification.objects.filter(
        recipient=actor, read_at__isnull=True, kind=kind, url=url
    ).update(read_at=now())
