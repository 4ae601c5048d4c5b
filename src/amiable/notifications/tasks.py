"""Background tasks of notifications: their e-mails."""

from __future__ import annotations

from amiable.core.tasks import retrying_task
from amiable.notifications.emailing import notification_email_deliver


@retrying_task()
def notification_email_task(*, notification_id: int) -> bool:
    """E-mail one notification to its recipient (once); retried with backoff."""
    return notification_email_deliver(notification_id=notification_id)
