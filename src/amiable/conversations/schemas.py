"""API schemas of interactions (every contact on any channel) and attachments."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import Field

from amiable.api.schemas import Id, InSchema, ListQuery
from amiable.conversations.models import Channel, Direction

MAX_BODY_CHARS = 200_000


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    is_inline: bool
    download_url: str = Field(
        description="GET it with the same credentials to receive the file."
    )

    @staticmethod
    def resolve_download_url(obj: Any) -> str:
        return reverse(
            "api:interaction_attachment_download", kwargs={"attachment_id": obj.pk}
        )


class UserRefOut(Schema):
    id: int
    username: str
    display_name: str


class InteractionIn(InSchema):
    """A contact outside any case (messages on a case go through /cases/{id}/...)."""

    customer_id: Id
    channel: Channel
    direction: Direction
    subject: str = Field("", max_length=255)
    body_text: str = Field("", max_length=MAX_BODY_CHARS)
    body_html: str = Field("", max_length=MAX_BODY_CHARS)
    occurred_at: dt.datetime | None = None
    language: str = Field("", max_length=8)
    external_id: str = Field("", max_length=255)
    time_spent_seconds: int = Field(0, ge=0, le=7 * 24 * 3600)
    metadata: dict[str, Any] = Field(default_factory=dict)


class InteractionOut(Schema):
    id: int
    customer_id: int
    case_id: int | None
    channel: str
    direction: str
    author: UserRefOut | None
    occurred_at: dt.datetime
    subject: str
    body_text: str
    body_html: str
    language: str
    external_id: str
    time_spent_seconds: int
    metadata: dict[str, Any]
    attachments: list[AttachmentOut]
    created_at: dt.datetime

    @staticmethod
    def resolve_attachments(obj: Any) -> list[Any]:
        return list(obj.attachments.all())


class InteractionListQuery(ListQuery):
    q: str = Field("", max_length=200)
    case_id: Id | None = None
    customer_id: Id | None = None
    channel: Channel | None = None
    direction: Direction | None = None
    sort: Literal["-occurred_at", "occurred_at"] = "-occurred_at"


class OutboxListQuery(ListQuery):
    channel: Literal["social", "chat", "portal"] | None = Field(
        None, description="Only this channel's messages."
    )
    status: Literal["pending", "sent", "failed"] = "pending"


class OutboxOut(Schema):
    """A reply waiting for the integration to send it."""

    id: int
    channel: str
    status: str
    created_at: dt.datetime
    acknowledged_at: dt.datetime | None
    provider_id: str
    error: str
    recipient: dict[str, Any] = Field(
        description="name; handle and platform (social) or e-mail; "
        "reply_to_external_id: the customer's message it answers."
    )
    interaction_id: int
    case_id: int | None
    case_reference: str
    customer_id: int
    language: str
    subject: str
    body_text: str

    @staticmethod
    def resolve_case_id(obj: Any) -> int | None:
        return int(obj.interaction.case_id) if obj.interaction.case_id else None

    @staticmethod
    def resolve_case_reference(obj: Any) -> str:
        case = obj.interaction.case
        return str(case.reference) if case is not None else ""

    @staticmethod
    def resolve_customer_id(obj: Any) -> int:
        return int(obj.interaction.customer_id)

    @staticmethod
    def resolve_language(obj: Any) -> str:
        return str(obj.interaction.customer.preferred_language or "")

    @staticmethod
    def resolve_subject(obj: Any) -> str:
        return str(obj.interaction.subject)

    @staticmethod
    def resolve_body_text(obj: Any) -> str:
        return str(obj.interaction.body_text)


class OutboxAckIn(InSchema):
    status: Literal["sent", "failed"]
    provider_id: str = Field("", max_length=255, description="The message's id there.")
    error: str = Field("", max_length=500, description="Why it failed.")
