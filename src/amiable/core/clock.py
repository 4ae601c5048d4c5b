"""The one place that reads the current time, so tests can reason about it."""

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    """Return the current aware UTC time."""
    return timezone.now()
