"""API schemas of import jobs (mounted by the app that owns each kind of import)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from amiable.jobs.models import ImportState


class ImportErrorOut(Schema):
    line: int
    message: str


class ImportJobOut(Schema):
    """An import job's progress: rows done of the total, what they did (``counts``),
    the refused rows by line (the first 200; ``error_count`` counts them all), and
    the page that follows it."""

    id: int
    kind: str
    state: ImportState
    source_name: str
    rows_total: int
    rows_done: int
    percent: int
    counts: dict[str, int]
    error_count: int
    errors: list[ImportErrorOut]
    failure: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    url: str
