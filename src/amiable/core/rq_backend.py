"""The Redis task backend (django-tasks-rq) with our lease and retry semantics.

RQ already notices a job whose worker died: its maintenance moves a job whose
started-registry entry was not renewed in time to the failed registry
(``AbandonedJobError``) and calls the job's failure callback. Two changes make that
behave like the database backend's heartbeat sweep (``amiable.jobs``):

- ``LeasedWorker`` renews that entry every ``AMIABLE_WORKER_HEARTBEAT_SECONDS`` with a
  time to live of ``AMIABLE_WORKER_LEASE_SECONDS`` (RQ's own adds a fixed minute to
  its interval) and runs the maintenance every half lease (RQ's: ten minutes), so a
  killed worker's job is found within about one lease and a half;
- ``RetryingRQBackend`` enqueues with ``abandoned_callback``, which counts an
  abandoned ``retrying_task`` as one failed attempt of the retry layer
  (``amiable.core.tasks.attempt_failed``), which enqueues the next one.

Only one worker runs the maintenance of a queue at a time (RQ's maintenance lock),
and the abandoned entry is removed in the same pass, so a job is retried once.
Loaded only when ``AMIABLE_TASKS=redis`` (settings name these classes).
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import connections
from django_tasks.base import Task, TaskResult
from django_tasks_rq import backend as rq_tasks
from redis import Redis
from rq.exceptions import AbandonedJobError
from rq.job import Job as RqJob
from rq.worker import Worker

from amiable.core.tasks import ATTEMPT_KWARG, attempt_failed, retry_policy_for

P = ParamSpec("P")
T = TypeVar("T")
logger = logging.getLogger(__name__)


def abandoned_callback(
    job: rq_tasks.Job,
    connection: Redis | None,
    exception_class: type[BaseException],
    exception_value: BaseException,
    traceback: TracebackType | None,
) -> None:
    """django-tasks-rq's failure callback, then, for a job abandoned by a dead
    worker, the retry layer's next attempt (a raised error was counted already by
    the task itself)."""
    rq_tasks.failed_callback(
        job,
        connection,
        exception_class,  # type: ignore[arg-type]
        exception_value,  # type: ignore[arg-type]
        traceback,  # type: ignore[arg-type]
    )
    if not issubclass(exception_class, AbandonedJobError):
        return
    task_path = str(job.func_name)
    policy = retry_policy_for(task_path)
    if policy is None:
        logger.warning("Task %s (%s): worker lost, not retried", job.id, task_path)
        return
    kwargs = dict(job.kwargs)
    attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
    attempt_failed(
        policy,
        attempt=attempt,
        args=tuple(job.args),
        kwargs=kwargs,
        error=(
            f"WorkerLostError: the worker {job.worker_name or '?'} stopped while "
            "running this task"
        ),
    )


class RetryingRQBackend(rq_tasks.RQBackend):
    """django-tasks-rq's backend whose jobs report abandonment to the retry layer."""

    def enqueue(
        self,
        task: Task[P, T],
        args: P.args,  # type: ignore[valid-type]
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> TaskResult[T]:
        import django_rq
        from django_tasks.base import TASK_MAX_PRIORITY, TaskResultStatus
        from django_tasks.signals import task_enqueued
        from django_tasks.utils import get_random_id
        from rq.callbacks import Callback
        from rq.job import JobStatus

        self.validate_task(task)
        result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        queue = django_rq.get_queue(task.queue_name, job_class=rq_tasks.Job)
        job = queue.create_job(
            task.module_path,
            args=args,
            kwargs=kwargs,
            job_id=result.id,
            status=JobStatus.SCHEDULED if task.run_after else JobStatus.QUEUED,
            on_failure=Callback(abandoned_callback),
            on_success=Callback(rq_tasks.success_callback),
            meta={"backend_name": self.alias},
        )
        if task.run_after is None:
            job = queue.enqueue_job(job, at_front=task.priority == TASK_MAX_PRIORITY)
        else:
            job = queue.schedule_job(job, task.run_after)
        object.__setattr__(result, "enqueued_at", job.enqueued_at)
        task_enqueued.send(type(self), task_result=result)
        return result


class LeasedWorker(Worker):
    """RQ's forking worker with the lease of ``amiable worker`` (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        lease = settings.AMIABLE_WORKER_LEASE_SECONDS
        kwargs.setdefault(
            "job_monitoring_interval", settings.AMIABLE_WORKER_HEARTBEAT_SECONDS
        )
        kwargs.setdefault("maintenance_interval", max(lease // 2, 1))
        # The worker's own key (and so its idle wait) follows the lease too.
        kwargs.setdefault("worker_ttl", max(lease, 20))
        super().__init__(*args, **kwargs)

    def get_heartbeat_ttl(self, job: RqJob, working_time: float = 0.0) -> int:
        return int(settings.AMIABLE_WORKER_LEASE_SECONDS)

    def fork_work_horse(self, job: RqJob, queue: Any) -> None:
        # The child must not share this process's database sockets: it opens its own.
        connections.close_all()
        super().fork_work_horse(job, queue)

    def perform_job(self, job: RqJob, queue: Any, execution: Any) -> bool:
        try:
            return bool(super().perform_job(job, queue, execution))
        finally:
            if getattr(self, "_is_horse", False):
                connections.close_all()  # the child exits with os._exit next
