"""API of interactions: the contacts timeline, searchable, and recording a contact
exactly once per (channel, external id); and the outbox, where the integration
reads the replies waiting on the channels we cannot send on (social, chat, the
website's form) and acknowledges each one."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ErrorOut, Id, PageOut
from amiable.conversations import selectors, services
from amiable.conversations.downloads import attachment_response
from amiable.conversations.models import Interaction, OutboxMessage
from amiable.conversations.outbox import outbox_ack, outbox_list
from amiable.conversations.schemas import (
    InteractionIn,
    InteractionListQuery,
    InteractionOut,
    OutboxAckIn,
    OutboxListQuery,
    OutboxOut,
)
from amiable.core.access import ADMIN, STAFF, TEAM, access
from amiable.customers.selectors import customer_get

router = Router()
outbox_router = Router()
ERRORS: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
SORTS: dict[str, tuple[str, ...]] = {
    "-occurred_at": ("-occurred_at", "-id"),
    "occurred_at": ("occurred_at", "id"),
}


@router.get("", response={200: PageOut[InteractionOut], **ERRORS})
@access(STAFF)
def interaction_list_api(
    request: HttpRequest, params: Query[InteractionListQuery]
) -> dict[str, Any]:
    """Interactions the caller may see; ``q`` searches subjects and texts."""
    queryset = selectors.interaction_list(
        actor=actor_of(request),
        case_id=params.case_id,
        customer_id=params.customer_id,
        channel=params.channel or "",
        direction=params.direction or "",
        text=params.q,
    )
    return page_of(
        queryset, ordering=SORTS[params.sort], limit=params.limit, cursor=params.cursor
    )


@router.post("", response={200: InteractionOut, 201: InteractionOut, **ERRORS})
@access(STAFF)
def interaction_record_api(
    request: HttpRequest, payload: InteractionIn
) -> Status[Interaction]:
    """Record a contact: 201 when stored, 200 with the stored one when this
    (channel, external_id) was already recorded."""
    actor = actor_of(request)
    customer = customer_get(actor=actor, customer_id=payload.customer_id)
    recorded = services.interaction_record(
        actor=actor,
        customer=customer,
        **payload.model_dump(exclude={"customer_id"}),
    )
    interaction = selectors.interaction_get(
        actor=actor, interaction_id=recorded.interaction.pk
    )
    return Status(201 if recorded.created else 200, interaction)


@router.get(
    "/attachments/{attachment_id}",
    response={200: None, **ERRORS},
    url_name="interaction_attachment_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The stored file, as an attachment download.",
                "content": {
                    "application/octet-stream": {
                        "schema": {"type": "string", "format": "binary"}
                    }
                },
            }
        }
    },
)
@access(TEAM)
def interaction_attachment_download_api(
    request: HttpRequest, attachment_id: Id
) -> FileResponse:
    """The file of an attachment the caller may see (404 otherwise)."""
    attachment = selectors.attachment_get(
        actor=actor_of(request), attachment_id=attachment_id
    )
    return attachment_response(attachment)


@router.get("/{interaction_id}", response={200: InteractionOut, **ERRORS})
@access(TEAM)
def interaction_get_api(request: HttpRequest, interaction_id: Id) -> Interaction:
    return selectors.interaction_get(
        actor=actor_of(request), interaction_id=interaction_id
    )


@outbox_router.get("", response={200: PageOut[OutboxOut], **ERRORS})
@access(ADMIN)
def outbox_list_api(
    request: HttpRequest, params: Query[OutboxListQuery]
) -> dict[str, Any]:
    """Replies waiting for the integration (``status=pending`` by default), oldest
    first. Administrators only (the integration's token)."""
    queryset = outbox_list(
        actor=actor_of(request), channel=params.channel or "", status=params.status
    )
    return page_of(queryset, ordering=("id",), limit=params.limit, cursor=params.cursor)


@outbox_router.post("/{outbox_id}/ack", response={200: OutboxOut, **ERRORS})
@access(ADMIN)
def outbox_ack_api(
    request: HttpRequest, outbox_id: Id, payload: OutboxAckIn
) -> OutboxMessage:
    """The integration sent the message (``sent``, with its id there) or could
    not (``failed``, with why: reported on the case). Repeating it is harmless;
    a sent message stays sent (409)."""
    actor = actor_of(request)
    outbox_ack(
        actor=actor,
        message_id=outbox_id,
        status=payload.status,
        provider_id=payload.provider_id,
        error=payload.error,
    )
    return outbox_list(actor=actor, status="").get(pk=outbox_id)
