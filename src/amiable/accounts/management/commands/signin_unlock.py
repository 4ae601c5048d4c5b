"""``amiable manage signin_unlock --username NAME [--address IP]``: lift the
sign-in locks that wrong passwords set (before they expire on their own)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amiable.accounts.services import signin_locks_lift


class Command(BaseCommand):
    help = "Lift the active sign-in locks of an account and/or a client address."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="")
        parser.add_argument("--address", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["username"] and not options["address"]:
            raise CommandError("give --username, --address or both")
        count = signin_locks_lift(
            actor=None, username=options["username"], address=options["address"]
        )
        self.stdout.write(f"{count} lock(s) lifted")
