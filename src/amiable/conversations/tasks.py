"""Background tasks of the conversations app.

Replies are sent through the ``interaction.delivery_requested`` event
(``handlers.py``); this task sends one interaction by its id, with the same
retries and failure reports, and runs the tasks an earlier version enqueued."""

from __future__ import annotations

from amiable.conversations.delivery import (
    interaction_deliver,
    interaction_record_delivery_failure,
)
from amiable.core.tasks import TaskFailure, retrying_task


def _record_delivery_failure(failure: TaskFailure) -> None:
    interaction_record_delivery_failure(
        interaction_id=int(failure.kwargs["interaction_id"]),
        error=failure.error,
        attempt=failure.attempt,
        max_attempts=failure.max_attempts,
        retry_at=failure.retry_at,
    )


@retrying_task(on_failure=_record_delivery_failure)
def interaction_deliver_task(*, interaction_id: int) -> str:
    """Deliver one outbound interaction (idempotent); retried with backoff."""
    return interaction_deliver(interaction_id=interaction_id)
