"""Background tasks of the conversations app."""

from __future__ import annotations

from django_tasks import task

from amiable.conversations.delivery import interaction_deliver


@task()
def interaction_deliver_task(*, interaction_id: int) -> str:
    """Deliver one outbound interaction (idempotent)."""
    return interaction_deliver(interaction_id=interaction_id)
