"""API schemas of personal data requests."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema

from amiable.api.schemas import Id, InSchema, ListQuery


class KeptRecordOut(Schema):
    table: str
    count: int
    reason: str


class DataRequestOut(Schema):
    id: int
    kind: str
    status: str
    source: str
    customer_id: int
    requested_by_id: int | None
    policy: str
    requested_at: dt.datetime
    due_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    progress_percent: int
    steps_done: list[str]
    changed: dict[str, int]
    kept: list[KeptRecordOut]
    has_archive: bool
    archive_size: int
    expires_at: dt.datetime | None
    error: str

    @staticmethod
    def resolve_has_archive(obj: object) -> bool:
        return bool(getattr(obj, "archive", None))


class DataRequestIn(InSchema):
    customer_id: Id
    kind: Literal["export", "erasure"]


class DataRequestListQuery(ListQuery):
    customer_id: Id | None = None
    kind: Literal["", "export", "erasure"] = ""
    status: Literal["", "pending", "running", "done", "failed"] = ""
