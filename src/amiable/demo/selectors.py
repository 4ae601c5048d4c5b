"""Reads about the demo mark: is this database a demo, and its demo password."""

from __future__ import annotations

from amiable.demo.models import DemoDatabase


def demo_database_get() -> DemoDatabase | None:
    """The demo mark of this database, or None for a real (production) database."""
    return DemoDatabase.objects.first()
