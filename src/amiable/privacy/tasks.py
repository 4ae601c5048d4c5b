"""Background work of personal data: requests, and the daily retention run."""

from __future__ import annotations

from amiable.core.tasks import TaskFailure, retrying_task
from amiable.privacy.services import data_request_fail, data_request_run


def _give_up(failure: TaskFailure) -> None:
    if not failure.will_retry:
        data_request_fail(
            request_id=int(failure.kwargs["request_id"]), reason=failure.error
        )


@retrying_task(on_failure=_give_up)
def data_request_run_task(*, request_id: int) -> str:
    """Export or erase; a retry resumes an erasure after its last committed step."""
    return str(data_request_run(request_id=request_id).status)


@retrying_task()
def privacy_retention_task() -> dict[str, int]:
    """Apply every retention policy (erasures start as their own tasks)."""
    from amiable.privacy.retention import retention_run

    return {report.policy: report.count for report in retention_run(dry_run=False)}
