"""Worker heartbeats, and the sweep that retries the tasks of a worker that died.

Every ``amiable worker`` (database backend) records a ``WorkerHeartbeat`` row under
the id it claims tasks with, renewed every ``AMIABLE_WORKER_HEARTBEAT_SECONDS``.
A task is *abandoned* when it has been RUNNING longer than the lease
(``AMIABLE_WORKER_LEASE_SECONDS``) and the worker that claimed it has not beaten
within the lease: the worker was killed (SIGKILL, out of memory, power loss) in
the middle of it. The sweep marks such a task FAILED and, for a ``retrying_task``,
counts it as one failed attempt of the retry layer, which enqueues the next one.

Retrying is safe because tasks are idempotent: an event delivery commits its
``EventDelivery`` row with the handler's effects, so a delivery cut short by the
crash was rolled back and runs again, and one that committed is not run twice.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amiable.core.clock import now
from amiable.core.tasks import (
    ATTEMPT_KWARG,
    TaskRetryScheduled,
    attempt_failed,
    retry_policy_for,
)
from amiable.jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)
HEARTBEATS_KEPT = dt.timedelta(days=1)


class WorkerLostError(Exception):
    """The worker running a task stopped without finishing it (stored as the class
    of an abandoned task's failure)."""


def _path(kind: type[Exception]) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


@dataclass(frozen=True)
class AbandonedTask:
    task_id: str
    task_path: str
    worker_id: str
    retried: bool


def worker_id_new() -> str:
    """A worker id unique across hosts: host name, process id, random suffix."""
    host = socket.gethostname()[:40]
    return f"{host}-{os.getpid()}-{secrets.token_hex(4)}"


def worker_beat(*, worker_id: str) -> None:
    """Record that worker ``worker_id`` (this process) is alive now."""
    stamp = now()
    if WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=stamp):
        return
    try:
        with transaction.atomic():
            WorkerHeartbeat.objects.create(
                worker_id=worker_id,
                hostname=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=stamp,
                beat_at=stamp,
            )
    except IntegrityError:  # created meanwhile by another thread of this worker
        WorkerHeartbeat.objects.filter(worker_id=worker_id).update(beat_at=stamp)


def worker_forget(*, worker_id: str) -> None:
    """Remove the heartbeat of a worker that stops cleanly (its tasks finished)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def worker_lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.AMIABLE_WORKER_LEASE_SECONDS)


def tasks_abandoned_sweep() -> list[AbandonedTask]:
    """Fail every abandoned task and retry it through the retry layer.

    Each task is taken by a conditional UPDATE (RUNNING → FAILED) in its own
    transaction, with its retry enqueued in the same one: two workers sweeping at
    once never retry a task twice. A task that is not a ``retrying_task``, or that
    was on its last attempt, stays FAILED with ``WorkerLostError``. Returns what
    was swept.
    """
    stamp = now()
    horizon = stamp - worker_lease()
    beats = dict(WorkerHeartbeat.objects.values_list("worker_id", "beat_at"))
    swept: list[AbandonedTask] = []
    running = DBTaskResult.objects.running().filter(started_at__lt=horizon)
    for row in running.only("id", "task_path", "args_kwargs", "worker_ids"):
        worker_id = row.worker_ids[-1] if row.worker_ids else ""
        last_beat = beats.get(worker_id)
        if last_beat is not None and last_beat >= horizon:
            continue  # a live worker running a long task
        seen = last_beat.isoformat() if last_beat else "never"
        reason = (
            f"WorkerLostError: the worker {worker_id or '?'} stopped while running "
            f"this task (last heartbeat: {seen})"
        )
        retried = _abandon(row, reason=reason, stamp=stamp)
        if retried is not None:
            swept.append(
                AbandonedTask(
                    task_id=str(row.pk),
                    task_path=row.task_path,
                    worker_id=worker_id,
                    retried=retried,
                )
            )
    WorkerHeartbeat.objects.filter(beat_at__lt=stamp - HEARTBEATS_KEPT).delete()
    return swept


@transaction.atomic
def _abandon(
    row: DBTaskResult[Any, Any], *, reason: str, stamp: dt.datetime
) -> bool | None:
    """Fail one abandoned task and schedule its retry; None when another sweep (or
    the worker itself) changed it first, else whether it will be retried."""
    taken = DBTaskResult.objects.filter(
        pk=row.pk, status=TaskResultStatus.RUNNING
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=stamp,
        exception_class_path=_path(WorkerLostError),
        traceback=reason,
        return_value=None,
    )
    if not taken:
        return None
    logger.warning("Task %s (%s): %s", row.pk, row.task_path, reason)
    policy = retry_policy_for(row.task_path)
    if policy is None:
        return False
    kwargs = dict(row.args_kwargs.get("kwargs", {}))
    attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
    failure = attempt_failed(
        policy,
        attempt=attempt,
        args=tuple(row.args_kwargs.get("args", [])),
        kwargs=kwargs,
        error=reason,
    )
    if failure.retry_at is None:
        return False
    DBTaskResult.objects.filter(pk=row.pk).update(
        exception_class_path=_path(TaskRetryScheduled),
        traceback=(
            f"{reason}; attempt {attempt}/{failure.max_attempts}, "
            f"retry at {failure.retry_at.isoformat()}"
        ),
    )
    return True


def heartbeat_thread_start(
    *, worker_id: str, stop: threading.Event | None = None
) -> threading.Thread:
    """Beat for ``worker_id`` every heartbeat period and sweep abandoned tasks every
    half lease, in a daemon thread of the worker process; errors are logged, never
    fatal (a locked database delays a beat, the lease allows for it)."""
    stop_event = stop or threading.Event()
    every = settings.AMIABLE_WORKER_HEARTBEAT_SECONDS
    sweep_every = worker_lease().total_seconds() / 2

    def loop() -> None:
        last_sweep = time.monotonic()  # the worker swept at start
        while not stop_event.wait(every):
            try:
                worker_beat(worker_id=worker_id)
                if time.monotonic() - last_sweep >= sweep_every:
                    last_sweep = time.monotonic()
                    tasks_abandoned_sweep()
            except Exception:
                logger.exception("worker heartbeat or sweep failed")
            finally:
                close_old_connections()

    thread = threading.Thread(target=loop, name="amiable-heartbeat", daemon=True)
    thread.start()
    return thread
