"""A customer's orders and shipments in the export; kept on erasure (accounts)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from amiable.commerce.models import Order, OrderLine, Shipment, TrackingEvent
from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    KeptRecord,
    PersonalDataSection,
    personal_data_register,
    rows_of,
    scrub_rows,
)


def commerce_personal_export(subject: DataSubject) -> ExportPart:
    orders = Order.objects.filter(customer_id__in=subject.customer_ids)
    shipments = Shipment.objects.filter(order__in=orders)
    return ExportPart(
        tables={
            "orders": rows_of(
                orders.order_by("placed_at", "pk"),
                ("id", "external_ref", "customer_id", "placed_at", "status")
                + ("currency", "total", "promised_delivery_date"),
            ),
            "order_lines": rows_of(
                OrderLine.objects.filter(order__in=orders).order_by("pk"),
                ("id", "order_id", "product__sku", "product__name", "quantity")
                + ("unit_price",),
            ),
            "shipments": rows_of(
                shipments.order_by("pk"),
                ("id", "order_id", "carrier", "tracking_number", "status")
                + ("shipped_at", "delivered_at"),
            ),
            "tracking_events": rows_of(
                TrackingEvent.objects.filter(shipment__in=shipments).order_by("pk"),
                ("id", "shipment_id", "status", "occurred_at", "location")
                + ("description",),
            ),
        }
    )


@transaction.atomic
def commerce_personal_erase(subject: DataSubject) -> ErasureOutcome:
    """Orders stay, with their amounts: the accounts must keep them. Carrier events
    lose what names the person in their text and raw payload."""
    orders = Order.objects.filter(customer_id__in=subject.customer_ids)
    events = TrackingEvent.objects.filter(shipment__order__in=orders)
    outcome = ErasureOutcome(
        changed={
            "tracking_events": scrub_rows(
                events, ("location", "description", "raw"), subject
            )
        }
    )
    if count := orders.count():
        outcome.kept.append(
            KeptRecord(
                table="orders",
                count=count,
                reason=gettext_noop(
                    "Orders, their lines and amounts kept 10 years as accounting "
                    "records (French commercial code art. L123-22), linked to the "
                    "anonymised customer."
                ),
            )
        )
    return outcome


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="commerce",
            export=commerce_personal_export,
            erase=commerce_personal_erase,
            order=10,
        )
    )
