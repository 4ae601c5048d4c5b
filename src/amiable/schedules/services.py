"""Enqueueing periodic jobs when they are due, once across every worker."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from amiable.core.clock import now
from amiable.core.schedules import Periodic, periodic_jobs
from amiable.core.tasks import describe_error
from amiable.schedules.models import ScheduleState

logger = logging.getLogger(__name__)
POLL_SECONDS = 15


@dataclass(frozen=True)
class ScheduleRun:
    enqueued: list[str]
    failed: list[str]


def _claim(job: Periodic) -> bool:
    """Move the job's next run forward if it is due; True for the one caller that
    did (a compare-and-set UPDATE, so two workers never both enqueue it)."""
    stamp = now()
    try:
        with transaction.atomic():
            ScheduleState.objects.get_or_create(
                name=job.name, defaults={"next_run_at": stamp}
            )
    except IntegrityError:
        pass  # another worker created it first
    claimed = ScheduleState.objects.filter(
        name=job.name, next_run_at__lte=stamp
    ).update(next_run_at=stamp + job.every, last_enqueued_at=stamp)
    return claimed == 1


def schedule_run_due() -> ScheduleRun:
    """Enqueue every registered periodic job that is due; return their names.

    A job whose task cannot be imported or enqueued is reported in ``failed`` with
    its error stored, and tried again at its next run.
    """
    enqueued: list[str] = []
    failed: list[str] = []
    for job in periodic_jobs():
        if not _claim(job):
            continue
        try:
            result = import_string(job.task).enqueue()
        except Exception as exc:
            logger.exception("periodic job %s could not be enqueued", job.name)
            ScheduleState.objects.filter(name=job.name).update(
                last_error=describe_error(exc)
            )
            failed.append(job.name)
            continue
        ScheduleState.objects.filter(name=job.name).update(
            last_task_id=str(getattr(result, "id", ""))[:64], last_error=""
        )
        enqueued.append(job.name)
    return ScheduleRun(enqueued=enqueued, failed=failed)


def scheduler_thread_start(*, stop: threading.Event | None = None) -> threading.Thread:
    """Run ``schedule_run_due`` every POLL_SECONDS in a daemon thread (the worker
    process calls this); errors are logged, never fatal."""
    stop_event = stop or threading.Event()

    def loop() -> None:
        from django.db import close_old_connections

        while not stop_event.is_set():
            try:
                schedule_run_due()
            except Exception:
                logger.exception("periodic jobs scan failed")
            finally:
                close_old_connections()
            stop_event.wait(POLL_SECONDS)

    thread = threading.Thread(target=loop, name="amiable-scheduler", daemon=True)
    thread.start()
    return thread
