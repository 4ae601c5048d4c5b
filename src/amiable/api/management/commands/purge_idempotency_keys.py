"""``amiable purge_idempotency_keys``: delete expired ``Idempotency-Key`` records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amiable.api.idempotency import idempotency_purge_expired


class Command(BaseCommand):
    help = (
        "Delete Idempotency-Key records older than API_IDEMPOTENCY_TTL_HOURS "
        "(the API also does it at most once an hour on its own)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = idempotency_purge_expired()
        self.stdout.write(f"Expired idempotency keys deleted: {deleted}")
