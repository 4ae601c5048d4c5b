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
    TrackingImportSummary,
    tracking_import_csv,
    tracking_ingest,
    tracking_ingest_many,
)

__all__ = [
    "IngestOutcome",
    "IngestResult",
    "OrderLineIn",
    "RecordedTrackingEvent",
    "CarrierEvent",
    "TrackingImportSummary",
    "order_create",
    "order_update",
    "product_create",
    "product_update",
    "shipment_create",
    "tracking_event_record",
    "tracking_import_csv",
    "tracking_ingest",
    "tracking_ingest_many",
]
