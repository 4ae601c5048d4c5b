"""API schemas of the global search (``GET /api/v1/search``), kept apart from
``schemas.py`` (the case resources)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import QuerySchema
from amiable.cases.schemas import CaseOut, RefOut


class SearchQuery(QuerySchema):
    q: str = Field(
        "",
        max_length=200,
        description=(
            "A case reference (C-2026-000123, 2026-123 or 123), an order number, "
            "an email address, a phone number in any national or international "
            "spelling, or words of a name or subject"
        ),
    )


class SearchOrderOut(Schema):
    id: int
    external_ref: str
    customer: RefOut
    placed_at: dt.datetime
    status: str


class SearchCustomerOut(Schema):
    id: int
    kind: str
    name: str
    company_name: str
    preferred_language: str


class SearchOut(Schema):
    q: str = Field(description="The text searched, trimmed")
    cases: list[CaseOut] = Field(description="Cases the caller may see, at most 10")
    orders: list[SearchOrderOut] = Field(description="Orders with this number")
    customers: list[SearchCustomerOut] = Field(
        description="The owner of the email or phone number first, then names"
    )
