"""Carrier CSV imports as background jobs (``amiable.jobs``), in batches.

The upload is checked whole first (a bad line refuses the file, nothing is stored),
then stored as an import job; a task records its events oldest first, one batch
per transaction, each event idempotent per carrier event id, so a batch replayed
after a crash records nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amiable.commerce.models import TrackingSource
from amiable.commerce.permissions import can_manage_tracking
from amiable.commerce.services.tracking import (
    IngestOutcome,
    tracking_csv_parse,
    tracking_ingest,
)
from amiable.core.errors import ApplicationError, PermissionDeniedError
from amiable.jobs.models import ImportJob
from amiable.jobs.registry import BatchOutcome, ImportKind, ImportRow
from amiable.jobs.services import import_job_create

if TYPE_CHECKING:
    from amiable.accounts.models import User

TRACKING_IMPORT = "tracking_csv"


def _rows(content: bytes) -> list[ImportRow]:
    return [
        ImportRow(line=line, item=event) for line, event in tracking_csv_parse(content)
    ]


def _process(actor: User | None, rows: Sequence[ImportRow]) -> BatchOutcome:
    counts = {outcome.value: 0 for outcome in IngestOutcome}
    errors: list[tuple[int, str]] = []
    for row in rows:
        try:
            result = tracking_ingest(
                actor=actor, event=row.item, source=TrackingSource.CSV
            )
        except ApplicationError as exc:
            errors.append((row.line, exc.message))
            continue
        counts[result.outcome.value] += 1
    return BatchOutcome(counts=counts, errors=errors)


def tracking_import_kind() -> ImportKind:
    """The carrier CSV import, for ``import_kind_register`` (commerce's ready)."""
    return ImportKind(
        name=TRACKING_IMPORT,
        label=gettext_lazy("Carrier tracking file"),
        rows=_rows,
        process=_process,
        may_view=can_manage_tracking,
        count_labels={
            IngestOutcome.RECORDED.value: gettext_lazy("recorded"),
            IngestOutcome.DUPLICATE.value: gettext_lazy("already known"),
            IngestOutcome.QUARANTINED.value: gettext_lazy("quarantined"),
        },
    )


def tracking_import_start(
    *, actor: User, content: bytes, source_name: str
) -> ImportJob:
    """Check a carrier CSV and queue its import (supervisors and above); returns
    the job, processed in the background. Raises PermissionDeniedError, and
    ValidationError naming every bad line (nothing is stored then)."""
    if not can_manage_tracking(actor):
        raise PermissionDeniedError(_("Only supervisors import carrier files."))
    return import_job_create(
        actor=actor, kind=TRACKING_IMPORT, content=content, source_name=source_name
    )
