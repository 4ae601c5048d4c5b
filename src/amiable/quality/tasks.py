"""Background tasks of the quality app (each calls one service)."""

from __future__ import annotations

from amiable.core.tasks import retrying_task
from amiable.quality.services import incident_bulk_run, recurrence_scan


@retrying_task()
def incident_bulk_run_task(*, action_id: int) -> str:
    """Reply to or resolve every case of an incident; resumes where it stopped."""
    return incident_bulk_run(action_id=action_id).status


@retrying_task()
def recurrence_scan_task() -> int:
    """The hourly backstop of the recurrence check."""
    return len(recurrence_scan())
