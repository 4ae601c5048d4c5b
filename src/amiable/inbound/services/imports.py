"""Importing raw messages read from files (an export, a corpus of real mail) through
the one ingestion service, with a summary of what each became."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

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


def email_import(
    *,
    messages: Iterable[MailFile],
    mailbox: Mailbox | None = None,
    source: str = InboundSource.COMMAND,
) -> ImportReport:
    """Ingest each message with ``email_ingest`` (one transaction each, so a long
    import keeps what it did if stopped) and report what each became. An exception
    escaping the service is recorded as a crash and the import goes on."""
    items: list[ImportedEmail] = []
    for message in messages:
        try:
            result = email_ingest(raw=message.raw, source=source, mailbox=mailbox)
        except Exception as exc:  # noqa: BLE001 (reported as a crash, import goes on)
            logger.exception("importing %s failed", message.label)
            items.append(
                ImportedEmail(
                    label=message.label,
                    result=None,
                    error=f"{type(exc).__name__}: {exc}",
                )
            )
            continue
        items.append(ImportedEmail(label=message.label, result=result))
    return ImportReport(items=tuple(items))
