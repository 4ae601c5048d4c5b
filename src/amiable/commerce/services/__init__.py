"""Commerce services: the catalogue, orders, shipments and carrier tracking events
(recorded one by one, received by webhook, imported from CSV, or quarantined when
the tracking number is unknown)."""

from amiable.commerce.services.orders import (
    OrderLineIn,
    RecordedTrackingEvent,
    order_create,
    order_update,
    product_create,
    product_update,
    shipment_create,
    tracking_event_record,
)
from amiable.commerce.services.tracking import (
    CarrierEvent,
    IngestOutcome,
    IngestResult,
    tracking_ingest,
    tracking_ingest_many,
)
from amiable.commerce.services.tracking_import import (
    TRACKING_IMPORT,
    tracking_import_kind,
    tracking_import_start,
)

__all__ = [
    "IngestOutcome",
    "IngestResult",
    "OrderLineIn",
    "RecordedTrackingEvent",
    "CarrierEvent",
    "TRACKING_IMPORT",
    "order_create",
    "order_update",
    "product_create",
    "product_update",
    "shipment_create",
    "tracking_event_record",
    "tracking_import_kind",
    "tracking_import_start",
    "tracking_ingest",
    "tracking_ingest_many",
]
