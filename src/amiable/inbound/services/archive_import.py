"""E-mail archives (an mbox, or one ``.eml``) imported as background jobs.

The upload is read whole first (an archive without any message is refused, nothing
is stored), then stored as an import job (``amiable.jobs``): a task ingests its
messages in order through the one ingestion service, in batches bounded by count
and time, one transaction each; each message is idempotent by its Message-ID (or
content hash), so a batch replayed after a crash ingests nothing twice, and the job
resumes after its last committed batch.
"""

from __future__ import annotations

import mailbox
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.inbound.mail_files import MailFile, is_mbox
from amiable.inbound.models import InboundSource, InboundStatus
from amiable.inbound.permissions import can_manage_inbound
from amiable.inbound.services.imports import import_batch
from amiable.jobs.models import ImportJob
from amiable.jobs.registry import BatchOutcome, ImportKind, ImportRow
from amiable.jobs.services import import_job_create

if TYPE_CHECKING:
    from amiable.accounts.models import User

EMAIL_ARCHIVE_IMPORT = "email_archive"
DUPLICATE = "duplicate"
# An archive's messages per batch (a message is heavier than a carrier row).
BATCH_MESSAGES = 50


def archive_messages(content: bytes) -> list[ImportRow]:
    """The messages of an mbox, in order (``line`` is the message's number), or the
    one message of an ``.eml``. Raises ValidationError for an empty archive."""
    if not content.strip():
        raise ValidationError(_("The archive has no message."))
    if not is_mbox(Path("archive.mbox"), content[:4096]):
        return [ImportRow(line=1, item=content)]
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "archive.mbox"
        path.write_bytes(content)
        box = mailbox.mbox(path, create=False)
        try:
            rows = [
                ImportRow(line=number, item=box.get_bytes(key))
                for number, key in enumerate(box.iterkeys(), start=1)
            ]
        finally:
            box.close()
    if not rows:
        raise ValidationError(_("The archive has no message."))
    return rows


def _process(actor: User | None, rows: Sequence[ImportRow]) -> BatchOutcome:
    messages = [MailFile(label=str(row.line), raw=row.item) for row in rows]
    counts: dict[str, int] = {status.value: 0 for status in InboundStatus}
    counts[DUPLICATE] = 0
    errors: list[tuple[int, str]] = []
    for imported in import_batch(messages, mailbox=None, source=InboundSource.COMMAND):
        line = int(imported.label)
        if imported.is_crash:
            errors.append((line, imported.crash_reason[:300]))
        elif imported.result is not None and imported.result.is_duplicate:
            counts[DUPLICATE] += 1
        elif imported.result is not None:
            counts[str(imported.result.status)] += 1
    return BatchOutcome(counts=counts, errors=errors)


def email_archive_import_kind() -> ImportKind:
    """The e-mail archive import, for ``import_kind_register`` (inbound's ready)."""
    return ImportKind(
        name=EMAIL_ARCHIVE_IMPORT,
        label=gettext_lazy("E-mail archive"),
        rows=archive_messages,
        process=_process,
        may_view=can_manage_inbound,
        count_labels={
            **{status.value: status.label for status in InboundStatus},
            DUPLICATE: gettext_lazy("already received"),
        },
        batch_size=BATCH_MESSAGES,
    )


def email_archive_import_start(
    *, actor: User, content: bytes, source_name: str
) -> ImportJob:
    """Check an e-mail archive and queue its import (administrators); returns the
    job, processed in the background. Raises PermissionDeniedError, and
    ValidationError for an archive without a message (nothing is stored then)."""
    if not can_manage_inbound(actor):
        raise PermissionDeniedError(_("Only administrators import e-mail archives."))
    archive_messages(content)
    return import_job_create(
        actor=actor,
        kind=EMAIL_ARCHIVE_IMPORT,
        content=content,
        source_name=source_name,
    )
