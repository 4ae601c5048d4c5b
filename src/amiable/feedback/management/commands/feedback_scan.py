"""``amiable feedback_scan``: run the survey triggers once (cron or scheduler)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amiable.feedback.services import survey_scan


class Command(BaseCommand):
    help = (
        "Request due surveys (deliveries, resolved cases, relationship NPS) "
        "and send the deferred ones."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = survey_scan()
        skipped = ", ".join(
            f"{reason}={count}" for reason, count in sorted(summary.skipped.items())
        )
        self.stdout.write(
            f"Surveys requested: {summary.requested}; deferred sent: {summary.due_sent}"
            + (f"; skipped: {skipped}" if skipped else "")
        )
