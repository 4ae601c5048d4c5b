"""Importing raw messages read from files (an export, a corpus of real mail) through
the one ingestion service, with a summary of what each became."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DatabaseError, transaction

from amiable.inbound.mail_files import MailFile
from amiable.inbound.models import InboundSource, InboundStatus, Mailbox
from amiable.inbound.services.ingestion import IngestResult, email_ingest

logger = logging.getLogger(__name__)
# Reasons of quarantines that are our bugs, not the message's fault.
BUG_REASONS = ("unexpected error:", "refused by the database:")


@dataclass(frozen=True)
class ImportedEmail:
    label: str
    result: IngestResult | None
    error: str = ""  # an exception that escaped the ingestion service

    @property
    def is_crash(self) -> bool:
        if self.result is None:
            return True
        return self.result.status == InboundStatus.QUARANTINED and (
            self.result.reason.startswith(BUG_REASONS)
        )

    @property
    def crash_reason(self) -> str:
        """The escaped exception, else the quarantine reason."""
        return self.error or (self.result.reason if self.result else "")


@dataclass(frozen=True)
class ImportReport:
    items: tuple[ImportedEmail, ...]

    @property
    def crashes(self) -> list[ImportedEmail]:
        return [item for item in self.items if item.is_crash]

    @property
    def duplicates(self) -> int:
        return sum(
            item.result is not None and item.result.is_duplicate for item in self.items
        )

    @property
    def statuses(self) -> Counter[str]:
        """What the messages new to the ledger became, by status."""
        return Counter(
            str(item.result.status)
            for item in self.items
            if item.result is not None and not item.result.is_duplicate
        )

    @property
    def quarantine_reasons(self) -> Counter[str]:
        return Counter(
            item.result.reason
            for item in self.items
            if item.result is not None
            and not item.result.is_duplicate
            and item.result.status == InboundStatus.QUARANTINED
        )


BATCH_SIZE = 100


def email_import(
    *,
    messages: Iterable[MailFile],
    mailbox: Mailbox | None = None,
    source: str = InboundSource.COMMAND,
    batch_size: int = BATCH_SIZE,
) -> ImportReport:
    """Ingest each message with ``email_ingest``, ``batch_size`` messages per
    transaction (an archive or a backlog costs one commit per batch, not one per
    message), and report what each became.

    Each message runs in a savepoint of the batch's transaction: a message that
    fails is quarantined or recorded as a crash and the others of its batch are
    kept. A batch whose transaction itself fails (its commit) is imported again
    one message per transaction. A stopped import keeps the batches committed;
    importing again skips them as duplicates. An exception escaping the service
    is recorded as a crash and the import goes on.
    """
    items: list[ImportedEmail] = []
    batch: list[MailFile] = []
    for message in messages:
        batch.append(message)
        if len(batch) >= batch_size:
            items += import_batch(batch, mailbox=mailbox, source=source)
            batch = []
    if batch:
        items += import_batch(batch, mailbox=mailbox, source=source)
    return ImportReport(items=tuple(items))


def import_batch(
    batch: list[MailFile], *, mailbox: Mailbox | None, source: str
) -> list[ImportedEmail]:
    """Ingest ``batch`` in one transaction (a savepoint inside the caller's), each
    message in a savepoint of its own; what each became, crashes included."""
    try:
        with transaction.atomic():
            return [_import_one(message, mailbox, source) for message in batch]
    except DatabaseError:
        if len(batch) == 1:
            raise
        logger.exception("a batch of %d messages failed; one by one", len(batch))
        return [_import_one_committed(message, mailbox, source) for message in batch]


def _import_one_committed(
    message: MailFile, mailbox: Mailbox | None, source: str
) -> ImportedEmail:
    try:
        return import_batch([message], mailbox=mailbox, source=source)[0]
    except DatabaseError as exc:
        logger.exception("importing %s failed", message.label)
        return ImportedEmail(
            label=message.label, result=None, error=f"{type(exc).__name__}: {exc}"
        )


def _import_one(
    message: MailFile, mailbox: Mailbox | None, source: str
) -> ImportedEmail:
    try:
        result = email_ingest(raw=message.raw, source=source, mailbox=mailbox)
    except Exception as exc:  # noqa: BLE001 (reported as a crash, import goes on)
        logger.exception("importing %s failed", message.label)
        return ImportedEmail(
            label=message.label, result=None, error=f"{type(exc).__name__}: {exc}"
        )
    return ImportedEmail(label=message.label, result=result)
