"""API of the inbound channels.

Webhooks (``/inbound/hooks/{source}/…``) are signed with the source's secret (see
``amiable.inbound.signing``), not with a user's token: raw MIME email, SMS (JSON or
provider-style form), social posts and messages, online reviews, web contact forms
and chat transcripts. Staff endpoints: the quarantine of unreadable email, with
replay, and the public replies to online reviews.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from ninja.security.base import AuthBase

from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ErrorOut, Id, PageOut
from amiable.core.access import ADMIN, SIGNED, STAFF, access
from amiable.core.errors import ApplicationError, ErrorCode, ValidationError
from amiable.inbound import selectors, services, webhook_messages
from amiable.inbound.models import InboundEmail, InboundSource, Review, WebhookKind
from amiable.inbound.schemas import (
    ChatIn,
    EmailWebhookOut,
    InboundEmailOut,
    ProviderSmsForm,
    QuarantineQuery,
    ReviewIn,
    ReviewListQuery,
    ReviewOut,
    ReviewReplyIn,
    SmsIn,
    SocialIn,
    WebformIn,
    WebhookOut,
)
from amiable.inbound.services.archive_import import (
    EMAIL_ARCHIVE_IMPORT,
    email_archive_import_start,
)
from amiable.inbound.services.channels import ChannelResult, receipt_claim
from amiable.inbound.signing import SIGNATURE_HEADER, webhook_source_verify
from amiable.jobs.schemas import ImportJobOut
from amiable.jobs.selectors import import_job_data, import_job_get

router = Router()
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
}


class PayloadTooLargeError(ApplicationError):
    code = ErrorCode.VALIDATION
    status = 413


def raw_body(request: HttpRequest) -> bytes:
    """The request body, up to the inbound size limit (not Django's form limit:
    emails with attachments are larger). Raises PayloadTooLargeError (413)."""
    cached = getattr(request, "_body", None)
    if isinstance(cached, bytes):
        return cached
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > settings.AMIABLE_INBOUND_MAX_BYTES:
        raise PayloadTooLargeError(
            _("The message is too large."),
            fields={
                "body": [
                    _("At most %(max)d bytes.")
                    % {"max": settings.AMIABLE_INBOUND_MAX_BYTES}
                ]
            },
        )
    data = request.read()
    request._body = data  # what request.body would have cached
    return data


class WebhookSignature(AuthBase):
    """``X-Amiable-Signature`` (HMAC-SHA256 of timestamp, nonce and body)."""

    openapi_type = "apiKey"

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.openapi_name = SIGNATURE_HEADER
        self.openapi_in = "header"
        super().__init__()

    def __call__(self, request: HttpRequest) -> Any:
        match = request.resolver_match
        slug = str(match.kwargs.get("source", "")) if match else ""
        source, nonce = webhook_source_verify(
            slug=slug,
            kind=self.kind,
            headers=dict(request.headers),
            body=raw_body(request),
        )
        request.webhook = (source, nonce)  # type: ignore[attr-defined]
        return source


def _webhook(request: HttpRequest) -> tuple[Any, str]:
    source, nonce = request.webhook  # type: ignore[attr-defined]
    return source, nonce


def _answer(result: ChannelResult) -> Status[dict[str, Any]]:
    body = {
        "status": "created" if result.created else "duplicate",
        "interaction_id": result.interaction.pk,
        "case_id": result.case.pk if result.case else None,
        "case_reference": result.case.reference if result.case else None,
    }
    return Status(201 if result.created else 200, body)


HOOK = {200: WebhookOut, 201: WebhookOut, **ERRORS}


@router.post(
    "/hooks/{source}/email",
    response={200: EmailWebhookOut, 201: EmailWebhookOut, **ERRORS},
    auth=WebhookSignature(WebhookKind.EMAIL),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "message/rfc822": {"schema": {"type": "string", "format": "binary"}}
            },
        }
    },
)
@access(SIGNED)
def inbound_email_api(request: HttpRequest, source: str) -> Status[dict[str, Any]]:
    """A raw MIME email, as mail providers' inbound webhooks post it: 201 with what
    it became (a quarantined message is stored too), 200 when already received."""
    hook_source, nonce = _webhook(request)
    raw = raw_body(request)
    if not raw.strip():
        raise ValidationError(
            _("The body must be the raw email."), fields={"body": [_("Empty.")]}
        )
    receipt_claim(hook_source, nonce)
    result = services.email_ingest(raw=raw, source=InboundSource.HTTP)
    return Status(200 if result.is_duplicate else 201, result.__dict__)


@router.post("/hooks/{source}/sms", response=HOOK, auth=WebhookSignature("sms"))
@access(SIGNED)
def inbound_sms_api(
    request: HttpRequest, source: str, payload: SmsIn
) -> Status[dict[str, Any]]:
    """An SMS in the generic JSON form."""
    hook_source, nonce = _webhook(request)
    message = webhook_messages.sms_message(payload)
    return _answer(
        services.channel_message_receive(
            source=hook_source, nonce=nonce, message=message
        )
    )


@router.post("/hooks/{source}/sms/form", response=HOOK, auth=WebhookSignature("sms"))
@access(SIGNED)
def inbound_sms_form_api(
    request: HttpRequest, source: str, payload: Form[ProviderSmsForm]
) -> Status[dict[str, Any]]:
    """An SMS as a provider posts it (form-encoded: MessageSid, From, To, Body)."""
    hook_source, nonce = _webhook(request)
    message = webhook_messages.provider_sms_message(payload)
    return _answer(
        services.channel_message_receive(
            source=hook_source, nonce=nonce, message=message
        )
    )


@router.post("/hooks/{source}/social", response=HOOK, auth=WebhookSignature("social"))
@access(SIGNED)
def inbound_social_api(
    request: HttpRequest, source: str, payload: SocialIn
) -> Status[dict[str, Any]]:
    """A public post or a direct message on a social network."""
    hook_source, nonce = _webhook(request)
    message = webhook_messages.social_message(payload, source_slug=hook_source.slug)
    return _answer(
        services.channel_message_receive(
            source=hook_source, nonce=nonce, message=message
        )
    )


@router.post("/hooks/{source}/review", response=HOOK, auth=WebhookSignature("review"))
@access(SIGNED)
def inbound_review_api(
    request: HttpRequest, source: str, payload: ReviewIn
) -> Status[dict[str, Any]]:
    """An online review; 3 stars or fewer open a case (a complaint at 2 or fewer)."""
    hook_source, nonce = _webhook(request)
    review, created = services.review_receive(
        source=hook_source,
        nonce=nonce,
        message=webhook_messages.review_message(payload),
        platform=payload.platform,
        rating=payload.rating,
        url=payload.url,
        author_name=payload.author_name,
    )
    interaction = review.interaction
    return _answer(
        ChannelResult(interaction=interaction, case=review.case, created=created)
    )


@router.post("/hooks/{source}/webform", response=HOOK, auth=WebhookSignature("webform"))
@access(SIGNED)
def inbound_webform_api(
    request: HttpRequest, source: str, payload: WebformIn
) -> Status[dict[str, Any]]:
    """A web contact form submission (a case reference continues that case)."""
    hook_source, nonce = _webhook(request)
    message = webhook_messages.webform_message(payload)
    return _answer(
        services.channel_message_receive(
            source=hook_source, nonce=nonce, message=message
        )
    )


@router.post("/hooks/{source}/chat", response=HOOK, auth=WebhookSignature("chat"))
@access(SIGNED)
def inbound_chat_api(
    request: HttpRequest, source: str, payload: ChatIn
) -> Status[dict[str, Any]]:
    """A chat transcript, as one interaction on the visitor's timeline."""
    hook_source, nonce = _webhook(request)
    message = webhook_messages.chat_message(payload)
    return _answer(
        services.channel_message_receive(
            source=hook_source, nonce=nonce, message=message
        )
    )


@router.get("/emails", response={200: PageOut[InboundEmailOut], **ERRORS})
@access(ADMIN)
def inbound_email_list_api(
    request: HttpRequest, params: Query[QuarantineQuery]
) -> dict[str, Any]:
    """Received emails by status, quarantined ones by default (administrators)."""
    queryset = selectors.inbound_email_list(
        actor=actor_of(request), status=params.status
    )
    return page_of(
        queryset,
        ordering=("-received_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("/emails/{email_id}/replay", response={200: EmailWebhookOut, **ERRORS})
@access(ADMIN)
def inbound_email_replay_api(request: HttpRequest, email_id: Id) -> dict[str, Any]:
    """Ingest a quarantined email again (administrators)."""
    actor = actor_of(request)
    email: InboundEmail = selectors.inbound_email_get(actor=actor, email_id=email_id)
    return services.email_replay(actor=actor, email=email).__dict__


@router.get("/reviews", response={200: PageOut[ReviewOut], **ERRORS})
@access(STAFF)
def review_list_api(
    request: HttpRequest, params: Query[ReviewListQuery]
) -> dict[str, Any]:
    """Online reviews, unanswered ones only with ``unanswered=true``."""
    queryset = selectors.review_list(
        actor=actor_of(request), unanswered_only=params.unanswered
    )
    return page_of(
        queryset,
        ordering=("-created_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("/reviews/{review_id}/draft", response={200: ReviewOut, **ERRORS})
@access(STAFF)
def review_draft_api(
    request: HttpRequest, review_id: Id, payload: ReviewReplyIn
) -> Review:
    """Save the draft of the public reply."""
    actor = actor_of(request)
    review = selectors.review_get(actor=actor, review_id=review_id)
    return services.review_reply_draft_save(
        actor=actor, review=review, text=payload.text
    )


@router.post("/reviews/{review_id}/publish", response={200: ReviewOut, **ERRORS})
@access(STAFF)
def review_publish_api(
    request: HttpRequest, review_id: Id, payload: ReviewReplyIn
) -> Review:
    """Record the public reply as published (409 when it already was)."""
    actor = actor_of(request)
    review = selectors.review_get(actor=actor, review_id=review_id)
    return services.review_reply_publish(
        actor=actor, review=review, text=payload.text, public_url=payload.public_url
    )


@router.post("/imports", response={202: ImportJobOut, **ERRORS})
@access(ADMIN)
def email_archive_import_api(
    request: HttpRequest, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """Queue the import of an e-mail archive (an mbox, or one ``.eml``): its
    messages go through the ingestion service in the background, in batches, each
    once (by Message-ID); follow it with ``GET /inbound/imports/{id}`` (or its
    ``url``). Administrators."""
    actor = actor_of(request)
    job = email_archive_import_start(
        actor=actor, content=file.read(), source_name=file.name or ""
    )
    job = import_job_get(actor=actor, job_id=job.pk)  # as far as it got already
    return Status(202, import_job_data(job))


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS})
@access(ADMIN)
def email_archive_import_get_api(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    """The progress of an e-mail archive import: messages done of the total, what
    they became, the ones that failed by number. Administrators."""
    job = import_job_get(
        actor=actor_of(request), job_id=job_id, kind=EMAIL_ARCHIVE_IMPORT
    )
    return import_job_data(job)
