"""API schemas of accounts: the caller and their tokens."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class TeamRefOut(Schema):
    id: int
    name: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    role: str
    team: TeamRefOut | None
    preferred_language: str
    is_available: bool


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_active: bool
