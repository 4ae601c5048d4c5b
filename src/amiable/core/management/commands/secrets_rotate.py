"""``amiable manage secrets_rotate``: re-encrypt every stored secret (IMAP
passwords, webhook signing secrets) with the first key of AMIABLE_SECRETS_KEY.

Rotation: put the new key first and keep the old one after it
(``AMIABLE_SECRETS_KEY=new,old``), restart, run this command, then drop the old key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amiable.core.encryption import SecretUnreadableError, secrets_rotate


class Command(BaseCommand):
    help = "Re-encrypt every stored secret with the first AMIABLE_SECRETS_KEY key."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = secrets_rotate()
        except SecretUnreadableError as exc:
            raise CommandError(f"{exc.message} Nothing was changed.") from exc
        for label, count in sorted(counts.items()):
            self.stdout.write(f"{label}: {count} re-encrypted")
