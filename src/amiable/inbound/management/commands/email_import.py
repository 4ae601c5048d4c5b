"""``amiable email_import PATH...``: ingest .eml files, directories and mbox files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amiable.inbound.mail_files import mail_files_read
from amiable.inbound.models import Mailbox
from amiable.inbound.services import ImportReport, email_import


def summary_lines(report: ImportReport) -> list[str]:
    """The summary printed after an import (English, like Django's commands)."""
    statuses = report.statuses
    lines = [
        f"Messages: {len(report.items)}; ingested: {sum(statuses.values())}; "
        f"duplicates: {report.duplicates}; crashes: {len(report.crashes)}",
        "By status: "
        + (
            ", ".join(f"{name} {count}" for name, count in sorted(statuses.items()))
            or "none"
        ),
    ]
    for reason, count in report.quarantine_reasons.most_common():
        lines.append(f"  quarantined {count}: {reason[:200]}")
    for item in report.crashes:
        lines.append(f"  CRASH {item.label}: {item.crash_reason[:300]}")
    return lines


class Command(BaseCommand):
    help = (
        "Ingest raw emails from .eml files, directories (.eml, .msg, .mbox) and "
        "mbox files through the ingestion service; exits 1 if any message crashed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument(
            "--mailbox",
            default="",
            help="the address of the mailbox the messages were received on",
        )
        parser.add_argument(
            "--list", action="store_true", help="print what each message became"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        mailbox = None
        if options["mailbox"]:
            mailbox = Mailbox.objects.filter(address=options["mailbox"]).first()
            if mailbox is None:
                raise CommandError(f"no mailbox {options['mailbox']!r}")
        paths: list[Path] = options["paths"]
        for path in paths:
            if not path.exists():
                raise CommandError(f"no such file or directory: {path}")
        try:
            report = email_import(messages=mail_files_read(paths), mailbox=mailbox)
        except OSError as exc:
            raise CommandError(f"cannot read {exc.filename}: {exc.strerror}") from exc
        if options["list"]:
            for item in report.items:
                result = item.result
                verdict = (
                    f"{'duplicate of ' if result.is_duplicate else ''}"
                    f"{result.status} #{result.email_id} {result.reason[:120]}"
                    if result is not None
                    else f"CRASH {item.error[:200]}"
                )
                self.stdout.write(f"{item.label}: {verdict.strip()}")
        for line in summary_lines(report):
            self.stdout.write(line)
        if report.crashes:
            raise CommandError(f"{len(report.crashes)} message(s) crashed the import")
