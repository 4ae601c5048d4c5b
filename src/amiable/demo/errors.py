"""Errors of the demo data loader."""

from __future__ import annotations

from amiable.core.errors import ConflictError


class NotADemoDatabaseError(ConflictError):
    """Demo data and demo accounts were asked for in a database that holds real data."""
