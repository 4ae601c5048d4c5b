"""API schemas of the inbound channels: webhook payloads and their answers, the
quarantine and online reviews."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

from amiable.api.schemas import InSchema, ListQuery
from amiable.core.safe_urls import link_url_check

# An address that becomes a link: http(s) or mailto only (no javascript:).
LinkUrl = Annotated[str, AfterValidator(link_url_check)]

MAX_TEXT = 50_000


class WebhookOut(Schema):
    status: Literal["created", "duplicate"]
    interaction_id: int
    case_id: int | None
    case_reference: str | None


class EmailWebhookOut(Schema):
    status: str = Field(
        description="opened, threaded, auto_reply, bounce, loop or quarantined"
    )
    is_duplicate: bool
    email_id: int
    case_id: int | None
    interaction_id: int | None
    reason: str


class SmsIn(InSchema):
    """The generic JSON form of an inbound SMS."""

    id: str = Field(min_length=1, max_length=150, description="The provider's id.")
    from_: str = Field(alias="from", min_length=3, max_length=40)
    to: str = Field("", max_length=40)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    received_at: dt.datetime | None = None
    media_urls: list[str] = Field(default_factory=list, max_length=10)


class ProviderSmsForm(Schema):
    """The provider-style form-encoded SMS (Twilio's field names)."""

    model_config = ConfigDict(extra="ignore")
    MessageSid: str = Field(min_length=1, max_length=150)
    From: str = Field(min_length=3, max_length=40)
    To: str = Field("", max_length=40)
    Body: str = Field("", max_length=MAX_TEXT)
    NumMedia: int = Field(0, ge=0, le=10)


class SocialIn(InSchema):
    id: str = Field(min_length=1, max_length=150)
    platform: str = Field(min_length=1, max_length=40, examples=["x", "facebook"])
    kind: Literal["post", "direct_message"]
    handle: str = Field(min_length=1, max_length=80)
    author_name: str = Field("", max_length=200)
    url: LinkUrl = Field("", max_length=500)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    in_reply_to_id: str = Field("", max_length=150)
    posted_at: dt.datetime | None = None


class ReviewIn(InSchema):
    id: str = Field(min_length=1, max_length=150)
    platform: str = Field(
        min_length=1, max_length=40, examples=["google", "trustpilot"]
    )
    rating: int = Field(ge=1, le=5)
    title: str = Field("", max_length=255)
    text: str = Field("", max_length=MAX_TEXT)
    url: LinkUrl = Field("", max_length=500)
    author_name: str = Field("", max_length=200)
    author_id: str = Field(
        min_length=1, max_length=80, description="The reviewer's id or handle."
    )
    author_email: str = Field("", max_length=254)
    posted_at: dt.datetime | None = None
    language: Literal["fr", "en"] = "fr"


class WebformIn(InSchema):
    id: str = Field(min_length=1, max_length=150, description="The submission id.")
    name: str = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    subject: str = Field("", max_length=255)
    message: str = Field(min_length=1, max_length=MAX_TEXT)
    kind: Literal["question", "request", "complaint"] = "question"
    case_reference: str = Field("", max_length=20)
    language: Literal["fr", "en"] = "fr"


class ChatLineIn(InSchema):
    sender: Literal["visitor", "agent", "bot"]
    name: str = Field("", max_length=200)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    at: dt.datetime


class ChatVisitorIn(InSchema):
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)


class ChatIn(InSchema):
    id: str = Field(min_length=1, max_length=150, description="The transcript id.")
    visitor: ChatVisitorIn
    lines: list[ChatLineIn] = Field(min_length=1, max_length=2000)
    case_reference: str = Field("", max_length=20)
    language: Literal["fr", "en"] = "fr"


class QuarantineQuery(ListQuery):
    status: str = Field("quarantined", max_length=12)


class InboundEmailOut(Schema):
    id: int
    status: str
    reason: str = Field(description="The technical detail (English).")
    reason_code: str = Field(
        description="Stable code of a quarantine reason; empty on older rows."
    )
    reason_text: str = Field(
        description="The reason in the reader's language (Accept-Language)."
    )
    source: str
    message_id: str
    sender: str
    subject: str
    received_at: dt.datetime
    raw_size: int
    replay_count: int
    case_id: int | None
    interaction_id: int | None


class ReviewOut(Schema):
    id: int
    platform: str
    rating: int
    url: str
    author_name: str
    customer_id: int
    case_id: int | None
    interaction_id: int
    reply_draft: str
    is_replied_publicly: bool
    replied_publicly_at: dt.datetime | None
    public_reply_url: str


class ReviewListQuery(ListQuery):
    unanswered: bool = False


class ReviewReplyIn(InSchema):
    text: str = Field(min_length=1, max_length=5000)
    public_url: LinkUrl = Field("", max_length=500)
