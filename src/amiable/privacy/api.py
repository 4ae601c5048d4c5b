"""API of personal data: ask for a person's export or erasure, follow it, download.

Supervisors and administrators export; only administrators erase; agents are
refused (403). Every download of an export is an audit line."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, Id, PageOut
from amiable.core.access import SUPERVISORS, access
from amiable.core.errors import NotFoundError
from amiable.customers.models import Customer
from amiable.privacy.downloads import archive_response
from amiable.privacy.models import DataRequest
from amiable.privacy.schemas import DataRequestIn, DataRequestListQuery, DataRequestOut
from amiable.privacy.selectors import data_request_get, data_request_list
from amiable.privacy.services import data_request_archive_opened, data_request_create

router = Router()
ERRORS = ERROR_RESPONSES


@router.get("/requests", response={200: PageOut[DataRequestOut], **ERRORS})
@access(SUPERVISORS)
def data_request_list_api(
    request: HttpRequest, params: Query[DataRequestListQuery]
) -> dict[str, Any]:
    """Requests, newest first; filter by customer, kind or status."""
    return page_of(
        data_request_list(
            actor=actor_of(request),
            customer_id=params.customer_id,
            kind=params.kind,
            status=params.status,
        ),
        ordering=("-requested_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("/requests", response={201: DataRequestOut, **ERRORS})
@access(SUPERVISORS)
def data_request_create_api(
    request: HttpRequest, payload: DataRequestIn
) -> Status[DataRequest]:
    """Start an export or an erasure of a customer (and of the customers merged
    into it); an open request of the same kind is answered instead of a new one."""
    actor = actor_of(request)
    data_request_list(actor=actor)  # refuses agents before saying a customer exists
    customer = Customer.objects.filter(pk=payload.customer_id).first()
    if customer is None:
        raise NotFoundError(
            _("No such customer."), fields={"customer_id": [_("Unknown.")]}
        )
    return Status(
        201, data_request_create(actor=actor, customer=customer, kind=payload.kind)
    )


@router.get("/requests/{data_request_id}", response={200: DataRequestOut, **ERRORS})
@access(SUPERVISORS)
def data_request_get_api(request: HttpRequest, data_request_id: Id) -> DataRequest:
    return data_request_get(actor=actor_of(request), request_id=data_request_id)


@router.get(
    "/requests/{data_request_id}/archive",
    response={200: None, **ERRORS},
    openapi_extra={
        "responses": {
            200: {
                "description": "The export: a zip of JSON and CSV files.",
                "content": {
                    "application/zip": {
                        "schema": {"type": "string", "format": "binary"}
                    }
                },
            }
        }
    },
)
@access(SUPERVISORS)
def data_request_archive_api(request: HttpRequest, data_request_id: Id) -> FileResponse:
    """Download the export (404 before it is ready or once it expired)."""
    actor = actor_of(request)
    data_request = data_request_get(actor=actor, request_id=data_request_id)
    if not data_request.archive:
        raise NotFoundError(
            _("This export has no file (not ready, expired or erased).")
        )
    response = archive_response(data_request)
    data_request_archive_opened(actor=actor, request=data_request)
    return response
