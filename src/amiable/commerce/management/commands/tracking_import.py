"""``amiable manage tracking_import FILE --as USERNAME``: import a carrier CSV.

The file is checked whole, then imported by the task worker in batches; the
command follows the job and prints its progress until it ends (``--no-wait``:
print the job and return at once).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amiable.accounts.models import User
from amiable.commerce.services import tracking_import_start
from amiable.core.errors import ApplicationError
from amiable.jobs.models import ImportJob, ImportState

POLL_SECONDS = 1.0
WORKER_HINT_SECONDS = 10.0


class Command(BaseCommand):
    help = (
        "Import carrier tracking events from a CSV file (carrier, tracking_number, "
        "event_id, status, occurred_at[, location, description]): checked whole, "
        "then imported in the background in batches."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the supervisor or administrator the import is recorded for",
        )
        parser.add_argument(
            "--no-wait",
            action="store_true",
            help="queue the import and return without following it",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        actor = User.objects.filter(
            username=options["username"], is_active=True
        ).first()
        if actor is None:
            raise CommandError(f"no active user {options['username']!r}")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        try:
            job = tracking_import_start(
                actor=actor, content=content, source_name=path.name
            )
        except ApplicationError as exc:
            details = "; ".join(
                f"{field}: {', '.join(messages)}"
                for field, messages in list(exc.fields.items())[:5]
            )
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        self.stdout.write(f"Import #{job.pk} queued: {job.rows_total} rows.")
        if not options["no_wait"]:
            self._follow(job.pk)

    def _follow(self, job_id: int) -> None:
        started = time.monotonic()
        hinted = False
        shown = -1
        while True:
            job = ImportJob.objects.get(pk=job_id)
            if job.rows_done != shown:
                shown = job.rows_done
                self.stdout.write(f"{job.rows_done}/{job.rows_total} rows")
            if job.is_finished:
                break
            waited = time.monotonic() - started
            if (
                job.state == ImportState.QUEUED
                and not hinted
                and waited > WORKER_HINT_SECONDS
            ):
                hinted = True
                self.stderr.write("Waiting for a task worker (amiable worker)…")
            time.sleep(POLL_SECONDS)
        counts = job.counts
        self.stdout.write(
            f"Rows: {job.rows_total}; recorded: {counts.get('recorded', 0)}; "
            f"duplicates: {counts.get('duplicate', 0)}; "
            f"quarantined: {counts.get('quarantined', 0)}; errors: {job.error_count}"
        )
        if job.state == ImportState.FAILED:
            raise CommandError(f"import #{job.pk} failed: {job.failure}")
