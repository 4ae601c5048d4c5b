"""Carrier events from outside: one by one (webhook), in bulk (CSV import), and
the quarantine of events whose tracking number we do not know yet.

Every event is idempotent per carrier event id: a replay records nothing, whether
the event went to its shipment or to the quarantine. A quarantined event is
replayed onto its shipment as soon as the shipment is recorded
(``tracking_quarantine_release``, called by ``shipment_create``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.commerce.models import (
    QuarantinedTrackingEvent,
    Shipment,
    ShipmentStatus,
)
from amiable.commerce.services.orders import tracking_event_record
from amiable.core.clock import now
from amiable.core.errors import ValidationError

CSV_COLUMNS = (
    "carrier",
    "tracking_number",
    "event_id",
    "status",
    "occurred_at",
    "location",
    "description",
)
REQUIRED_COLUMNS = frozenset(
    {"carrier", "tracking_number", "event_id", "status", "occurred_at"}
)
MAX_IMPORT_ROWS = 50_000
MAX_IMPORT_BYTES = 20 * 1024 * 1024


class IngestOutcome(StrEnum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    QUARANTINED = "quarantined"


@dataclass(frozen=True)
class CarrierEvent:
    carrier: str
    tracking_number: str
    external_id: str
    status: str
    occurred_at: dt.datetime
    location: str = ""
    description: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class IngestResult:
    external_id: str
    outcome: IngestOutcome
    tracking_event_id: int | None = None
    quarantine_id: int | None = None


def _normalised_number(value: str) -> str:
    return "".join(value.split()).upper()


def _shipment_for(carrier: str, tracking_number: str) -> Shipment | None:
    return (
        Shipment.objects.select_related("order")
        .filter(
            carrier__iexact=carrier.strip(),
            tracking_number__iexact=_normalised_number(tracking_number),
        )
        .first()
    )


def _check(event: CarrierEvent) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name in ("carrier", "tracking_number", "external_id"):
        if not str(getattr(event, name)).strip():
            errors[name] = [_("Required.")]
    if event.status not in ShipmentStatus.values:
        errors["status"] = [
            _("Use one of: %(values)s") % {"values": ", ".join(ShipmentStatus.values)}
        ]
    if event.occurred_at.tzinfo is None:
        errors["occurred_at"] = [_("Give a time zone (e.g. +01:00 or Z).")]
    return errors


@transaction.atomic
def tracking_ingest(
    *, actor: User | None, event: CarrierEvent, source: str
) -> IngestResult:
    """Record one carrier event on its shipment, or quarantine it when the
    tracking number is unknown. Raises ValidationError for a malformed event."""
    errors = _check(event)
    if errors:
        raise ValidationError(_("The tracking event is not valid."), fields=errors)
    external_id = event.external_id.strip()
    shipment = _shipment_for(event.carrier, event.tracking_number)
    if shipment is not None:
        recorded = tracking_event_record(
            actor=actor,
            shipment=shipment,
            external_id=external_id,
            status=event.status,
            occurred_at=event.occurred_at,
            location=event.location[:120],
            description=event.description[:255],
            raw=event.raw,
        )
        return IngestResult(
            external_id=external_id,
            outcome=IngestOutcome.RECORDED
            if recorded.created
            else IngestOutcome.DUPLICATE,
            tracking_event_id=recorded.event.pk,
        )
    carrier = event.carrier.strip()[:60]
    existing = QuarantinedTrackingEvent.objects.filter(
        carrier=carrier, external_id=external_id
    ).first()
    if existing is not None:
        return IngestResult(
            external_id=external_id,
            outcome=IngestOutcome.DUPLICATE,
            quarantine_id=existing.pk,
        )
    try:
        with transaction.atomic():
            held = QuarantinedTrackingEvent.objects.create(
                carrier=carrier,
                tracking_number=_normalised_number(event.tracking_number)[:80],
                external_id=external_id[:120],
                status=event.status,
                occurred_at=event.occurred_at,
                location=event.location[:120],
                description=event.description[:255],
                raw=event.raw,
                source=source,
                received_at=now(),
            )
    except IntegrityError:
        held = QuarantinedTrackingEvent.objects.get(
            carrier=carrier, external_id=external_id
        )
        return IngestResult(
            external_id=external_id,
            outcome=IngestOutcome.DUPLICATE,
            quarantine_id=held.pk,
        )
    audit_record(
        actor=actor,
        action="tracking_event.quarantine",
        instance=held,
        actor_label="" if actor else "carrier",
        after={"carrier": carrier, "tracking_number": held.tracking_number},
    )
    return IngestResult(
        external_id=external_id,
        outcome=IngestOutcome.QUARANTINED,
        quarantine_id=held.pk,
    )


@transaction.atomic
def tracking_ingest_many(
    *, actor: User | None, events: Iterable[CarrierEvent], source: str
) -> list[IngestResult]:
    """Ingest several events, oldest first, all or nothing: one malformed event
    refuses the batch with its position in ``fields`` (``events.3.status``)."""
    batch = list(events)
    errors: dict[str, list[str]] = {}
    for index, event in enumerate(batch):
        for name, messages in _check(event).items():
            errors[f"events.{index}.{name}"] = messages
    if errors:
        raise ValidationError(_("Some tracking events are not valid."), fields=errors)
    ordered = sorted(enumerate(batch), key=lambda pair: pair[1].occurred_at)
    results: dict[int, IngestResult] = {}
    for index, event in ordered:
        results[index] = tracking_ingest(actor=actor, event=event, source=source)
    return [results[index] for index in range(len(batch))]


def tracking_quarantine_release(*, actor: User | None, shipment: Shipment) -> int:
    """Replay the quarantined events of a newly recorded shipment onto it; returns
    how many were released. Call inside the service that created the shipment."""
    held = list(
        QuarantinedTrackingEvent.objects.select_for_update()
        .filter(
            carrier__iexact=shipment.carrier,
            tracking_number__iexact=_normalised_number(shipment.tracking_number),
            resolved_at__isnull=True,
        )
        .order_by("occurred_at", "id")
    )
    stamp = now()
    for event in held:
        recorded = tracking_event_record(
            actor=actor,
            shipment=shipment,
            external_id=event.external_id,
            status=event.status,
            occurred_at=event.occurred_at,
            location=event.location,
            description=event.description,
            raw=event.raw,
        )
        event.resolved_at = stamp
        event.resolved_event = recorded.event
        event.save(update_fields=["resolved_at", "resolved_event"])
    return len(held)


def _decode(content: bytes) -> str:
    """UTF-8 (with or without a BOM), else Windows-1252 (French spreadsheets)."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def tracking_csv_parse(content: bytes) -> list[tuple[int, CarrierEvent]]:
    """Parse a carrier CSV (comma or semicolon separated; columns ``carrier,
    tracking_number, event_id, status, occurred_at[, location, description]``)
    into (line number, event) pairs, oldest event first (lines in file order for
    one time). Raises ValidationError naming each bad line."""
    if len(content) > MAX_IMPORT_BYTES:
        raise ValidationError(
            _("The file is too large."), fields={"file": [_("At most 20 MB.")]}
        )
    text = _decode(content)
    if not text.strip():
        raise ValidationError(_("The file is empty."), fields={"file": [_("Empty.")]})
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = {name.strip().lower() for name in reader.fieldnames or []}
    missing = sorted(REQUIRED_COLUMNS - header)
    if missing:
        raise ValidationError(
            _("Columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            fields={"file": [", ".join(missing)]},
        )
    events: list[tuple[int, CarrierEvent]] = []
    errors: dict[str, list[str]] = {}
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_IMPORT_ROWS:
            raise ValidationError(
                _("Too many rows."), fields={"file": [_("At most 50,000 rows.")]}
            )
        values = {
            (key or "").strip().lower(): (value or "").strip()
            for key, value in row.items()
            if key is not None
        }
        if not any(values.values()):
            continue
        occurred = parse_datetime(values.get("occurred_at", ""))
        if occurred is None:
            errors[f"line {line}"] = [_("occurred_at is not a date and time.")]
            continue
        event = CarrierEvent(
            carrier=values.get("carrier", ""),
            tracking_number=values.get("tracking_number", ""),
            external_id=values.get("event_id", ""),
            status=values.get("status", "").lower(),
            occurred_at=occurred,
            location=values.get("location", ""),
            description=values.get("description", ""),
            raw={name: values.get(name, "") for name in CSV_COLUMNS},
        )
        problems = _check(event)
        if problems:
            errors[f"line {line}"] = [
                f"{name}: {message}"
                for name, messages in problems.items()
                for message in messages
            ]
            continue
        events.append((line, event))
    if errors:
        raise ValidationError(
            _("The file has errors; nothing was imported."), fields=errors
        )
    return sorted(events, key=lambda pair: pair[1].occurred_at)
