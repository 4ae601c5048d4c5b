"""``amiable manage schedules_run_due``: enqueue the periodic jobs that are due.

For deployments that prefer cron to the scheduler thread of ``amiable worker``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amiable.schedules.services import schedule_run_due


class Command(BaseCommand):
    help = "Enqueue the periodic jobs that are due (safe to run from many hosts)."

    def handle(self, *args: Any, **options: Any) -> None:
        run = schedule_run_due()
        for name in run.enqueued:
            self.stdout.write(f"enqueued {name}")
        for name in run.failed:
            self.stderr.write(f"failed {name}")
        if not run.enqueued and not run.failed:
            self.stdout.write("nothing due")
