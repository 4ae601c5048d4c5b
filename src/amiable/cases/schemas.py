"""API schemas of cases: open, read, edit (with optimistic locking) and act on them."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import Id, InSchema, ListQuery, PatchSchema, Version
from amiable.cases.lifecycle import allowed_next
from amiable.cases.models import CaseKind, CasePriority, CaseStatus
from amiable.conversations.models import Channel, Direction

MAX_BODY_CHARS = 200_000
CallOutcome = Literal[
    "answered", "voicemail", "no_answer", "busy", "callback_requested"
]


class RefOut(Schema):
    id: int
    name: str


class AssigneeOut(Schema):
    id: int
    username: str
    display_name: str


class CaseOut(Schema):
    id: int
    reference: str
    customer: RefOut
    subject: str
    kind: str
    category: str
    priority: str
    status: str
    channel: str
    assignee: AssigneeOut | None
    team: RefOut | None
    opened_at: dt.datetime
    first_responded_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    last_activity_at: dt.datetime
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class CaseDetailOut(CaseOut):
    order_ids: list[int]
    allowed_statuses: list[str]

    @staticmethod
    def resolve_order_ids(obj: Any) -> list[int]:
        return sorted(order.pk for order in obj.orders.all())

    @staticmethod
    def resolve_allowed_statuses(obj: Any) -> list[str]:
        return allowed_next(obj.status)


class CaseListQuery(ListQuery):
    q: str = Field("", max_length=200)
    status: list[CaseStatus] = Field(default_factory=list)
    kind: list[CaseKind] = Field(default_factory=list)
    priority: list[CasePriority] = Field(default_factory=list)
    team_id: Id | None = None
    assignee: str = Field("", pattern=r"^(|me|none|[1-9][0-9]{0,17})$")
    customer_id: Id | None = None
    open_only: bool = False
    sort: Literal[
        "-last_activity_at", "last_activity_at", "-opened_at", "opened_at"
    ] = "-last_activity_at"


class CaseOpenIn(InSchema):
    customer_id: Id
    subject: str = Field(min_length=1, max_length=255)
    kind: CaseKind = CaseKind.QUESTION
    priority: CasePriority = CasePriority.NORMAL
    category: str = Field("", max_length=80)
    channel: Channel = Channel.EMAIL
    team_id: Id | None = None
    assignee_id: Id | None = None
    order_ids: list[Id] = Field(default_factory=list, max_length=100)
    body_text: str = Field("", max_length=MAX_BODY_CHARS)
    body_html: str = Field("", max_length=MAX_BODY_CHARS)
    external_id: str = Field("", max_length=255)
    occurred_at: dt.datetime | None = None


class CaseUpdateIn(PatchSchema):
    """``version`` is the one you read: a stale one gets 409 version_conflict."""

    version: Version
    subject: str | None = Field(None, min_length=1, max_length=255)
    kind: CaseKind | None = None
    category: str | None = Field(None, max_length=80)
    priority: CasePriority | None = None


class CaseAssignIn(InSchema):
    assignee_id: Id | None
    team_id: Id | None = None
    version: Version | None = None


class CaseStatusIn(InSchema):
    status: CaseStatus
    version: Version | None = None


class CaseReplyIn(InSchema):
    body_text: str = Field(min_length=1, max_length=MAX_BODY_CHARS)
    body_html: str = Field("", max_length=MAX_BODY_CHARS)
    channel: Channel = Channel.EMAIL
    status: CaseStatus | None = None
    version: Version | None = None


class CaseNoteIn(InSchema):
    body_text: str = Field(min_length=1, max_length=MAX_BODY_CHARS)


class CaseMessageIn(InSchema):
    """A customer's message on the case, recorded once per (channel, external_id)."""

    channel: Literal[
        Channel.EMAIL,
        Channel.PHONE,
        Channel.SMS,
        Channel.CHAT,
        Channel.SOCIAL,
        Channel.REVIEW,
        Channel.LETTER,
        Channel.PORTAL,
    ] = Channel.EMAIL
    subject: str = Field("", max_length=255)
    body_text: str = Field("", max_length=MAX_BODY_CHARS)
    body_html: str = Field("", max_length=MAX_BODY_CHARS)
    external_id: str = Field("", max_length=255)
    occurred_at: dt.datetime | None = None


class CaseCallIn(InSchema):
    direction: Literal[Direction.INBOUND, Direction.OUTBOUND]
    duration_seconds: int = Field(ge=0, le=24 * 3600)
    outcome: CallOutcome
    notes: str = Field("", max_length=MAX_BODY_CHARS)
    occurred_at: dt.datetime | None = None


class CaseLinkOrdersIn(InSchema):
    order_ids: list[Id] = Field(min_length=1, max_length=100)
    version: Version | None = None
