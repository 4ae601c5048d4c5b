"""API schemas of macros."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import Id, InSchema, ListQuery, PatchSchema

MacroStatus = Literal["", "open", "waiting_customer", "waiting_third_party"]
MacroPriority = Literal["", "low", "normal", "high", "urgent"]
MacroPromise = Literal[
    "", "delivery", "refund", "callback", "replacement", "repair", "information",
    "custom",
]  # fmt: skip


class MacroOut(Schema):
    id: int
    name: str
    team_id: int | None
    owner_id: int | None
    body_fr: str
    body_en: str
    set_status: str
    set_priority: str
    note: str
    promise_kind: str
    promise_text: str
    promise_days: int
    add_tags: str = Field(description="Tags the macro adds, comma-separated")
    set_field_key: str = Field(description="The custom field it sets, if any")
    set_field_value: str
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class MacroListQuery(ListQuery):
    sort: Literal["name", "-name"] = "name"


class MacroCreateIn(InSchema):
    """A team macro with ``team_id``, else a personal one (the caller's)."""

    name: str = Field(min_length=1, max_length=120)
    team_id: Id | None = None
    body_fr: str = Field("", max_length=20_000)
    body_en: str = Field("", max_length=20_000)
    set_status: MacroStatus = ""
    set_priority: MacroPriority = ""
    note: str = Field("", max_length=20_000)
    promise_kind: MacroPromise = ""
    promise_text: str = Field("", max_length=500)
    promise_days: int = Field(0, ge=0, le=365)
    add_tags: str = Field("", max_length=500, description="comma-separated names")
    set_field_key: str = Field("", max_length=40)
    set_field_value: str = Field("", max_length=200)
    is_active: bool = True


class MacroUpdateIn(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    body_fr: str | None = Field(None, max_length=20_000)
    body_en: str | None = Field(None, max_length=20_000)
    set_status: MacroStatus | None = None
    set_priority: MacroPriority | None = None
    note: str | None = Field(None, max_length=20_000)
    promise_kind: MacroPromise | None = None
    promise_text: str | None = Field(None, max_length=500)
    promise_days: int | None = Field(None, ge=0, le=365)
    add_tags: str | None = Field(None, max_length=500)
    set_field_key: str | None = Field(None, max_length=40)
    set_field_value: str | None = Field(None, max_length=200)
    is_active: bool | None = None


class MacroApplyIn(InSchema):
    case_id: Id
    version: int = Field(ge=1)


class MacroAppliedOut(Schema):
    """The text for the reply (variables filled, the customer's language) and the
    case's version after the macro's actions."""

    text: str
    is_case_changed: bool
    case_version: int
