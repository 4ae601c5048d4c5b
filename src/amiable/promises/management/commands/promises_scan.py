"""``amiable manage promises_scan``: run the promise scan once (cron or scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amiable.promises.services import promise_scan


class Command(BaseCommand):
    help = "Break overdue promises, flag those at risk and warn their customers."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = promise_scan()
        self.stdout.write(
            f"Promises broken: {summary.broken}; at risk: {summary.at_risk}; "
            f"customers warned: {summary.warned}"
        )
