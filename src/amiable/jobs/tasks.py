"""Running an import job in the background, retried from its last batch."""

from __future__ import annotations

from amiable.core.tasks import TaskFailure, retrying_task
from amiable.jobs.services import import_job_fail, import_job_run


def _give_up(failure: TaskFailure) -> None:
    if not failure.will_retry:
        import_job_fail(job_id=int(failure.kwargs["job_id"]), reason=failure.error)


@retrying_task(on_failure=_give_up)
def import_job_run_task(*, job_id: int) -> int:
    """Process the job's remaining batches; returns the rows done."""
    return import_job_run(job_id=job_id).rows_done
