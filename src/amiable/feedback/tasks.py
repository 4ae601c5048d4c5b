"""Background tasks of the feedback app: send one survey, run the periodic scan."""

from __future__ import annotations

from django_tasks import task

from amiable.core.tasks import retrying_task
from amiable.feedback.services import survey_scan, survey_send


@retrying_task()
def survey_send_task(*, survey_id: int) -> str:
    """Email one survey (idempotent); retried with backoff on mail errors."""
    return survey_send(survey_id=survey_id)


@task()
def survey_scan_task() -> dict[str, int]:
    """Run the survey triggers and send deferred surveys (idempotent)."""
    summary = survey_scan()
    return {"requested": summary.requested, "due_sent": summary.due_sent}
