"""``amiable manage tracking_import FILE --as USERNAME``: import a carrier CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amiable.accounts.models import User
from amiable.commerce.services import tracking_import_csv
from amiable.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Import carrier tracking events from a CSV file (carrier, tracking_number, "
        "event_id, status, occurred_at[, location, description]); all or nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the supervisor or administrator the import is recorded for",
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
            summary = tracking_import_csv(actor=actor, content=content)
        except ApplicationError as exc:
            details = "; ".join(
                f"{field}: {', '.join(messages)}"
                for field, messages in list(exc.fields.items())[:5]
            )
            raise CommandError(f"{exc.message} {details}".strip()) from exc
        self.stdout.write(
            f"Rows: {summary.rows}; recorded: {summary.recorded}; "
            f"duplicates: {summary.duplicates}; quarantined: {summary.quarantined}"
        )
