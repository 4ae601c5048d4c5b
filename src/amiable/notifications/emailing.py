"""Notifications by e-mail, for the staff who asked for them (``notify_by_email``
on their account): the same title, text and link, in their language, through
Django's mail backend."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.core.clock import now
from amiable.notifications.models import Notification


def notification_email_queue(notification: Notification) -> None:
    """After commit, e-mail the notification when its recipient opted in and has
    an address."""
    recipient = notification.recipient
    if not getattr(recipient, "notify_by_email", False) or not recipient.email:
        return
    from amiable.notifications.tasks import notification_email_task

    notification_id = notification.pk
    transaction.on_commit(
        lambda: notification_email_task.enqueue(notification_id=notification_id)
    )


def _text(notification: Notification) -> str:
    lines = [notification.title]
    if notification.body:
        lines += ["", notification.body]
    if notification.url:
        base = str(settings.AMIABLE_PUBLIC_URL).rstrip("/")
        lines += ["", f"{base}{notification.url}"]
    lines += [
        "",
        "-- ",
        _(
            "You get these e-mails because you asked for them on your account "
            "page; turn them off there."
        ),
    ]
    return "\n".join(lines)


def notification_email_deliver(*, notification_id: int) -> bool:
    """Send one notification's e-mail, once: claimed by a conditional update
    before sending (a second run finds it claimed), released when the mail
    server refuses, so the retried task sends it. Returns whether it sent."""
    claimed = Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True
    ).update(emailed_at=now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(
        pk=notification_id
    )
    recipient = notification.recipient
    language = getattr(recipient, "preferred_language", "") or "fr"
    with translation.override(language):
        message = EmailMessage(
            subject=notification.title,
            body=_text(notification),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[recipient.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
    try:
        message.send()
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True
