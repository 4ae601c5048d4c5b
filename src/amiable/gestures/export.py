"""One applied gesture as the shop or ERP receives it (CSV row and webhook body)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from amiable.gestures.models import Gesture

COLUMNS = (
    "gesture_id",
    "applied_at",
    "kind",
    "type_code",
    "reason_code",
    "value",
    "unit",
    "currency",
    "cost",
    "customer_id",
    "customer_name",
    "case_reference",
    "order_reference",
    "order_line_id",
    "product_sku",
    "team",
    "requested_by",
    "applied_by",
    "campaign_id",
)


def gesture_export_record(gesture: Gesture) -> dict[str, Any]:
    """The record of an applied gesture; amounts as strings (exact decimals),
    times in ISO 8601 UTC. Expects the related rows joined."""
    line = gesture.order_line
    return {
        "gesture_id": gesture.pk,
        "applied_at": gesture.applied_at.isoformat() if gesture.applied_at else "",
        "kind": gesture.gesture_type.kind,
        "type_code": gesture.gesture_type.code,
        "reason_code": gesture.reason.code,
        "value": str(gesture.value),
        "unit": gesture.gesture_type.unit,
        "currency": gesture.currency,
        "cost": str(gesture.cost),
        "customer_id": gesture.customer_id,
        "customer_name": gesture.customer.name,
        "case_reference": gesture.case.reference if gesture.case else "",
        "order_reference": gesture.order.external_ref if gesture.order else "",
        "order_line_id": gesture.order_line_id or "",
        "product_sku": line.product.sku if line is not None else "",
        "team": gesture.team.name if gesture.team else "",
        "requested_by": gesture.requested_by.username if gesture.requested_by else "",
        "applied_by": gesture.applied_by.username if gesture.applied_by else "",
        "campaign_id": gesture.campaign_id or "",
    }


def csv_lines(gestures: Iterable[Gesture]) -> Iterator[str]:
    """The CSV export, one line at a time (header first), for streaming."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    yield buffer.getvalue()
    for gesture in gestures:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(gesture_export_record(gesture))
        yield buffer.getvalue()
