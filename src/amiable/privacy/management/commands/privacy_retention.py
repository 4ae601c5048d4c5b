"""``amiable manage privacy_retention [--dry-run]``: apply the retention policies.

Prints one line per policy (how many people or archives, and the cut-off date);
exit code 0. With ``--dry-run`` nothing changes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amiable.privacy.retention import retention_run


class Command(BaseCommand):
    help = "Erase the people and delete the exports the retention policies let go."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count what each policy would erase, change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = bool(options["dry_run"])
        reports = retention_run(dry_run=dry_run)
        verb = "would erase" if dry_run else "erasing"
        for report in reports:
            cutoff = report.cutoff.date().isoformat() if report.cutoff else "off"
            what = "archives" if report.policy == "exports" else "people"
            self.stdout.write(
                f"{report.policy}: {verb} {report.count} {what} (before {cutoff})"
            )
        total = sum(report.count for report in reports)
        self.stdout.write(f"{'Dry run' if dry_run else 'Done'}: {total} in all.")
