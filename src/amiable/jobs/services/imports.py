"""Import jobs: store the upload, then process it in batches, resumable.

Each batch is one transaction holding the batch's rows and the job's progress
(``rows_done``, counts, errors), bounded by a number of rows
(``AMIABLE_IMPORT_BATCH_ROWS``) and a duration (``AMIABLE_IMPORT_BATCH_MILLISECONDS``):
on SQLite it holds the write lock that long at most (plus one chunk of rows), then
pauses so waiting writers get their turn; after a crash the next run
starts after the last committed batch. The rows themselves are idempotent (e.g. a
carrier event id is recorded once), so a batch replayed after a crash is harmless.

How long each batch held the write lock (from its ``BEGIN IMMEDIATE`` to its
commit) is measured: a batch over ``LOCK_HOLD_WARNING_SECONDS`` is a warning in
the log, and the end of a run logs its longest hold.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from amiable.audit.services import audit_record
from amiable.core.clock import now
from amiable.core.errors import NotFoundError, ValidationError
from amiable.core.locking import rows_lock
from amiable.jobs.models import ImportJob, ImportState
from amiable.jobs.registry import ImportKind, ImportRow, import_kind_get

if TYPE_CHECKING:
    from amiable.accounts.models import User

logger = logging.getLogger(__name__)
ERRORS_KEPT = 200  # per job; error_count still counts every refused row
# Between two batches: lets writers waiting on SQLite's lock take their turn.
BATCH_PAUSE_SECONDS = 0.05
CHUNK_ROWS = 1  # rows processed between two looks at the batch's time budget
# Other writers wait this long at most behind a batch (issue 16: under a second).
LOCK_HOLD_WARNING_SECONDS = 1.0


def _kind(name: str) -> ImportKind:
    kind = import_kind_get(name)
    if kind is None:
        raise NotFoundError(f"no import kind {name!r}")
    return kind


@transaction.atomic
def import_job_create(
    *, actor: User | None, kind: str, content: bytes, source_name: str
) -> ImportJob:
    """Check and store an upload as a queued import job; after commit, enqueue the
    task that processes it. Raises ValidationError (from the kind's reader) for a
    source that cannot be imported, NotFoundError for an unknown kind."""
    registered = _kind(kind)
    rows = registered.rows(content)
    stamp = now()
    job = ImportJob(
        kind=kind,
        source_name=source_name[:255],
        rows_total=len(rows),
        batch_size=registered.batch_size or settings.AMIABLE_IMPORT_BATCH_ROWS,
        created_by=actor,
        created_at=stamp,
        updated_at=stamp,
    )
    job.source.save(f"{kind}.bin", ContentFile(content), save=False)
    job.save()
    audit_record(
        actor=actor,
        action="import_job.create",
        instance=job,
        after={"kind": kind, "rows_total": job.rows_total, "file": job.source_name},
    )
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    from amiable.jobs.tasks import import_job_run_task

    import_job_run_task.enqueue(job_id=job_id)


def _rows_of(job: ImportJob, kind: ImportKind) -> Sequence[ImportRow]:
    with job.source.open("rb") as stored:
        content = stored.read()
    rows = kind.rows(content)
    if len(rows) != job.rows_total:
        raise ValidationError(_("The stored file no longer matches the import."))
    return rows


def import_job_run(
    *, job_id: int, progress: Callable[[ImportJob], None] | None = None
) -> ImportJob:
    """Process the job's remaining rows, one batch per transaction; return the job.

    Safe to call again after a crash or from two workers at once: each batch locks
    the job row and starts where the last committed batch stopped. A batch that
    raises rolls back (rows and progress) and the error propagates, so the task
    retries it. Raises NotFoundError for an unknown job.
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFoundError(f"no import job {job_id}")
    if job.is_finished:
        return job
    kind = _kind(job.kind)
    try:
        rows = _rows_of(job, kind)
    except ValidationError as exc:
        return import_job_fail(job_id=job_id, reason=exc.message)
    ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED).update(
        state=ImportState.RUNNING, started_at=now(), updated_at=now()
    )
    batches, longest = 0, 0.0
    while True:
        committed: list[float] = []
        job, finished, locked_at = _batch_run(
            job_id=job_id, kind=kind, rows=rows, committed=committed
        )
        # Until the commit, not until the batch's after-commit work (enqueueing
        # event deliveries, each a short write of its own) is done. Inside an
        # outer transaction (tests) the commit hooks wait: until now, then.
        held = (committed[0] if committed else time.monotonic()) - locked_at
        batches, longest = batches + 1, max(longest, held)
        if held > LOCK_HOLD_WARNING_SECONDS:
            logger.warning(
                "Import job %s: a batch held the write lock for %d ms",
                job_id,
                held * 1000,
            )
        if progress is not None:
            progress(job)
        if finished:
            logger.info(
                "Import job %s: %d rows done, %d batches in this run, longest "
                "write-lock hold %d ms",
                job_id,
                job.rows_done,
                batches,
                longest * 1000,
            )
            return job
        time.sleep(BATCH_PAUSE_SECONDS)


@dataclass(frozen=True)
class _Processed:
    rows: int
    counts: dict[str, int]
    errors: list[tuple[int, str]]


def _added(total: dict[str, int], more: dict[str, int]) -> dict[str, int]:
    return {name: total.get(name, 0) + more.get(name, 0) for name in {**total, **more}}


def _batch_process(
    kind: ImportKind, job: ImportJob, rows: Sequence[ImportRow]
) -> _Processed:
    """Process the job's next rows, CHUNK_ROWS at a time, until the batch is full
    or AMIABLE_IMPORT_BATCH_MILLISECONDS have passed: the write lock is held for about
    that long whatever the machine's speed."""
    budget = time.monotonic() + settings.AMIABLE_IMPORT_BATCH_MILLISECONDS / 1000
    end = min(job.rows_done + job.batch_size, len(rows))
    position = job.rows_done
    counts: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    while position < end:
        chunk = rows[position : min(position + CHUNK_ROWS, end)]
        outcome = kind.process(job.created_by, chunk)
        counts = _added(counts, outcome.counts)
        errors.extend(outcome.errors)
        position += len(chunk)
        if time.monotonic() >= budget:
            break
    return _Processed(rows=position - job.rows_done, counts=counts, errors=errors)


@transaction.atomic
def _batch_run(
    *,
    job_id: int,
    kind: ImportKind,
    rows: Sequence[ImportRow],
    committed: list[float],
) -> tuple[ImportJob, bool, float]:
    """One batch in one transaction: (the job, whether it is finished, when the
    write lock was taken: ``time.monotonic()`` once the transaction has begun).
    The time of the commit is appended to ``committed`` by the batch's first
    commit hook (hooks run in order, the rows' own after it)."""
    locked_at = time.monotonic()
    transaction.on_commit(lambda: committed.append(time.monotonic()))
    rows_lock(ImportJob.objects.filter(pk=job_id))
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if job.is_finished:
        return job, True, locked_at
    outcome = _batch_process(kind, job, rows)
    job.counts = _added(job.counts, outcome.counts)
    room = max(ERRORS_KEPT - len(job.row_errors), 0)
    job.row_errors = [
        *job.row_errors,
        *({"line": line, "message": text} for line, text in outcome.errors[:room]),
    ]
    job.error_count += len(outcome.errors)
    job.rows_done += outcome.rows
    finished = job.rows_done >= job.rows_total
    stamp = now()
    job.updated_at = stamp
    fields = ["counts", "row_errors", "error_count", "rows_done", "updated_at"]
    if finished:
        job.state = ImportState.SUCCEEDED
        job.finished_at = stamp
        fields += ["state", "finished_at"]
        audit_record(
            actor=job.created_by,
            action="import_job.finish",
            instance=job,
            after={"counts": job.counts, "error_count": job.error_count},
        )
    job.save(update_fields=fields)
    return job, finished, locked_at


@transaction.atomic
def import_job_fail(*, job_id: int, reason: str) -> ImportJob:
    """Stop a job for good (its task gave up, or its file is gone); the rows of
    committed batches stay. Returns the job; a finished job is left as it is."""
    rows_lock(ImportJob.objects.filter(pk=job_id))
    job = ImportJob.objects.get(pk=job_id)
    if job.is_finished:
        return job
    stamp = now()
    job.state = ImportState.FAILED
    job.failure = reason[:500]
    job.finished_at = stamp
    job.updated_at = stamp
    job.save(update_fields=["state", "failure", "finished_at", "updated_at"])
    audit_record(
        actor=None,
        action="import_job.fail",
        instance=job,
        actor_label="worker",
        after={"failure": job.failure, "rows_done": job.rows_done},
    )
    logger.warning("Import job %s failed: %s", job_id, reason)
    return job
