"""API of commerce: the product catalogue (admin writes), orders with lines,
shipments and carrier tracking events."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status
from pydantic import ValidationError as PydanticValidationError

from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, ErrorOut, Id, PageOut
from amiable.commerce import selectors, services
from amiable.commerce.models import Order, Product, Shipment, TrackingEvent
from amiable.commerce.schemas import (
    OrderCreateIn,
    OrderListQuery,
    OrderOut,
    OrderUpdateIn,
    ProductIn,
    ProductListQuery,
    ProductOut,
    ProductUpdateIn,
    QuarantinedEventOut,
    QuarantineListQuery,
    ShipmentIn,
    ShipmentOut,
    TrackingEventIn,
    TrackingEventOut,
    TrackingWebhookIn,
    TrackingWebhookOut,
)
from amiable.commerce.services import CarrierEvent, IngestOutcome, IngestResult
from amiable.commerce.webhooks import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    signature_verify,
)
from amiable.core.access import ADMIN, SIGNED, STAFF, SUPERVISORS, access
from amiable.core.errors import ValidationError
from amiable.customers.selectors import customer_get
from amiable.jobs.schemas import ImportJobOut
from amiable.jobs.selectors import import_job_data, import_job_get

router = Router()
WEBHOOK_ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
ERRORS = ERROR_RESPONSES
PRODUCT_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "sku": ("sku", "id"),
    "-sku": ("-sku", "-id"),
}
ORDER_SORTS: dict[str, tuple[str, ...]] = {
    "-placed_at": ("-placed_at", "-id"),
    "placed_at": ("placed_at", "id"),
}


@router.get("/products", response={200: PageOut[ProductOut], **ERRORS})
@access(STAFF)
def product_list_api(
    request: HttpRequest, params: Query[ProductListQuery]
) -> dict[str, Any]:
    queryset = selectors.product_list(
        actor=actor_of(request), text=params.q, active_only=params.active_only
    )
    return page_of(
        queryset,
        ordering=PRODUCT_SORTS[params.sort],
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("/products", response={201: ProductOut, **ERRORS})
@access(ADMIN)
def product_create_api(request: HttpRequest, payload: ProductIn) -> Status[Product]:
    """Add a product (administrators only; 409 for a taken SKU)."""
    product = services.product_create(actor=actor_of(request), **payload.model_dump())
    return Status(201, product)


@router.get("/products/{product_id}", response={200: ProductOut, **ERRORS})
@access(STAFF)
def product_get_api(request: HttpRequest, product_id: Id) -> Product:
    return selectors.product_get(actor=actor_of(request), product_id=product_id)


@router.patch("/products/{product_id}", response={200: ProductOut, **ERRORS})
@access(ADMIN)
def product_update_api(
    request: HttpRequest, product_id: Id, payload: ProductUpdateIn
) -> Product:
    """Change a product's name, price or active flag (administrators only)."""
    actor = actor_of(request)
    product = selectors.product_get(actor=actor, product_id=product_id)
    services.product_update(
        actor=actor, product=product, **payload.model_dump(exclude_unset=True)
    )
    return selectors.product_get(actor=actor, product_id=product_id)


@router.get("/orders", response={200: PageOut[OrderOut], **ERRORS})
@access(STAFF)
def order_list_api(
    request: HttpRequest, params: Query[OrderListQuery]
) -> dict[str, Any]:
    """Orders with their lines, shipments and tracking events."""
    queryset = selectors.order_with_details(
        selectors.order_list(
            actor=actor_of(request),
            customer_id=params.customer_id,
            status=params.status or "",
        )
    )
    return page_of(
        queryset,
        ordering=ORDER_SORTS[params.sort],
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("/orders", response={201: OrderOut, **ERRORS})
@access(STAFF)
def order_create_api(request: HttpRequest, payload: OrderCreateIn) -> Status[Order]:
    """Record an order; its total is the sum of its lines (409 for a taken ref)."""
    actor = actor_of(request)
    customer = customer_get(actor=actor, customer_id=payload.customer_id)
    order = services.order_create(
        actor=actor,
        customer=customer,
        external_ref=payload.external_ref,
        placed_at=payload.placed_at,
        lines=[
            services.OrderLineIn(
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price=line.unit_price,
            )
            for line in payload.lines
        ],
        currency=payload.currency,
        status=payload.status,
        promised_delivery_date=payload.promised_delivery_date,
    )
    return Status(201, selectors.order_get(actor=actor, order_id=order.pk))


@router.get("/orders/{order_id}", response={200: OrderOut, **ERRORS})
@access(STAFF)
def order_get_api(request: HttpRequest, order_id: Id) -> Order:
    return selectors.order_get(actor=actor_of(request), order_id=order_id)


@router.patch("/orders/{order_id}", response={200: OrderOut, **ERRORS})
@access(STAFF)
def order_update_api(
    request: HttpRequest, order_id: Id, payload: OrderUpdateIn
) -> Order:
    """Change an order's status or promised delivery date."""
    actor = actor_of(request)
    order = selectors.order_get(actor=actor, order_id=order_id)
    services.order_update(
        actor=actor, order=order, **payload.model_dump(exclude_unset=True)
    )
    return selectors.order_get(actor=actor, order_id=order_id)


@router.post("/orders/{order_id}/shipments", response={201: ShipmentOut, **ERRORS})
@access(STAFF)
def shipment_create_api(
    request: HttpRequest, order_id: Id, payload: ShipmentIn
) -> Status[Shipment]:
    """Attach a shipment (409 if the carrier's tracking number is known)."""
    actor = actor_of(request)
    order = selectors.order_get(actor=actor, order_id=order_id)
    shipment = services.shipment_create(
        actor=actor, order=order, **payload.model_dump()
    )
    return Status(201, shipment)


@router.get("/shipments/{shipment_id}", response={200: ShipmentOut, **ERRORS})
@access(STAFF)
def shipment_get_api(request: HttpRequest, shipment_id: Id) -> Shipment:
    return selectors.shipment_get(actor=actor_of(request), shipment_id=shipment_id)


@router.post(
    "/shipments/{shipment_id}/tracking-events",
    response={200: TrackingEventOut, 201: TrackingEventOut, **ERRORS},
)
@access(STAFF)
def tracking_event_record_api(
    request: HttpRequest, shipment_id: Id, payload: TrackingEventIn
) -> Status[TrackingEvent]:
    """Record a carrier event once per carrier event id: 201 the first time, 200
    with the stored event on a replay."""
    actor = actor_of(request)
    shipment = selectors.shipment_get(actor=actor, shipment_id=shipment_id)
    recorded = services.tracking_event_record(
        actor=actor, shipment=shipment, **payload.model_dump()
    )
    return Status(201 if recorded.created else 200, recorded.event)


def _webhook_payload(body: bytes) -> TrackingWebhookIn:
    try:
        return TrackingWebhookIn.model_validate(json.loads(body))
    except (ValueError, PydanticValidationError) as exc:
        fields: dict[str, list[str]] = {}
        if isinstance(exc, PydanticValidationError):
            for error in exc.errors():
                path = ".".join(str(part) for part in error["loc"]) or "body"
                fields.setdefault(path, []).append(str(error["msg"]))
        raise ValidationError(
            _("The webhook body is not valid."), fields=fields or {"body": ["JSON"]}
        ) from exc


def _summary(results: list[IngestResult]) -> dict[str, Any]:
    return {
        "recorded": sum(1 for r in results if r.outcome == IngestOutcome.RECORDED),
        "duplicates": sum(1 for r in results if r.outcome == IngestOutcome.DUPLICATE),
        "quarantined": sum(
            1 for r in results if r.outcome == IngestOutcome.QUARANTINED
        ),
        "results": [
            {
                "event_id": r.external_id,
                "outcome": str(r.outcome),
                "tracking_event_id": r.tracking_event_id,
                "quarantine_id": r.quarantine_id,
            }
            for r in results
        ],
    }


@router.post(
    "/tracking/webhook",
    auth=None,
    response={200: TrackingWebhookOut, **WEBHOOK_ERRORS},
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": TrackingWebhookIn.model_json_schema(
                        ref_template="#/components/schemas/{model}"
                    )
                }
            },
            "required": True,
        }
    },
)
@access(SIGNED)
def tracking_webhook_api(request: HttpRequest) -> dict[str, Any]:
    """Carrier events pushed by a carrier (generic JSON), signed with HMAC-SHA256:
    ``X-Amiable-Timestamp`` (unix seconds) and ``X-Amiable-Signature:
    sha256=<hex HMAC of "<timestamp>." + body>``. Idempotent per carrier event id;
    events for unknown tracking numbers go to the quarantine. The signature is
    checked before the body is read."""
    signature_verify(
        timestamp=request.headers.get(TIMESTAMP_HEADER, ""),
        signature=request.headers.get(SIGNATURE_HEADER, ""),
        body=request.body,
    )
    payload = _webhook_payload(request.body)
    results = services.tracking_ingest_many(
        actor=None,
        events=[
            CarrierEvent(
                carrier=payload.carrier,
                tracking_number=event.tracking_number,
                external_id=event.event_id,
                status=event.status,
                occurred_at=event.occurred_at,
                location=event.location,
                description=event.description,
                raw=event.raw,
            )
            for event in payload.events
        ],
        source="webhook",
    )
    return _summary(results)


@router.post("/tracking/imports", response={202: ImportJobOut, **ERRORS})
@access(SUPERVISORS)
def tracking_import_api(
    request: HttpRequest, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """Queue the import of a carrier CSV (``carrier, tracking_number, event_id,
    status, occurred_at[, location, description]``; comma or semicolon; UTF-8 or
    Windows-1252; at most 50,000 rows). The file is checked whole first: a bad line
    refuses it and is named in ``fields``. It is then imported in the background
    in batches; follow it with ``GET /tracking/imports/{id}`` (or its ``url``).
    Supervisors and above."""
    actor = actor_of(request)
    job = services.tracking_import_start(
        actor=actor, content=file.read(), source_name=file.name or ""
    )
    job = import_job_get(actor=actor, job_id=job.pk)  # as far as it got already
    return Status(202, import_job_data(job))


@router.get("/tracking/imports/{job_id}", response={200: ImportJobOut, **ERRORS})
@access(STAFF)
def tracking_import_get_api(request: HttpRequest, job_id: Id) -> dict[str, Any]:
    """The progress of a carrier CSV import: rows done of the total, events
    recorded, already known and quarantined, refused rows by line. Supervisors
    and above."""
    job = import_job_get(
        actor=actor_of(request), job_id=job_id, kind=services.TRACKING_IMPORT
    )
    return import_job_data(job)


@router.get(
    "/tracking/quarantine", response={200: PageOut[QuarantinedEventOut], **ERRORS}
)
@access(SUPERVISORS)
def tracking_quarantine_api(
    request: HttpRequest, params: Query[QuarantineListQuery]
) -> dict[str, Any]:
    """Carrier events kept for tracking numbers we do not know (yet), newest first
    (supervisors and above). They are replayed when the shipment is recorded."""
    queryset = selectors.quarantine_list(
        actor=actor_of(request),
        carrier=params.carrier,
        tracking_number=params.tracking_number,
        unresolved_only=params.unresolved_only,
    )
    return page_of(
        queryset,
        ordering=("-received_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )
