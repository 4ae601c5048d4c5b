"""What a customer sees of their own data on the portal. Every read is scoped by
the signed-in customer: another customer's order, case or file is "not found"."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from amiable.cases.models import Case
from amiable.commerce.models import Order, Shipment, TrackingEvent
from amiable.conversations.models import (
    THIRD_PARTY_KINDS,
    WITH_CUSTOMER,
    Attachment,
    Channel,
    Direction,
    Interaction,
)
from amiable.core.errors import NotFoundError
from amiable.customers.models import Customer

# What a customer may read of a case: messages between them and us. Internal notes,
# activity lines and call logs (an agent's notes about a call) stay inside.
PUBLIC_CHANNELS = (
    Channel.EMAIL,
    Channel.SMS,
    Channel.CHAT,
    Channel.SOCIAL,
    Channel.REVIEW,
    Channel.LETTER,
    Channel.PORTAL,
)
PUBLIC_DIRECTIONS = (Direction.INBOUND, Direction.OUTBOUND)
LIST_LIMIT = 50


def portal_order_list(*, customer: Customer) -> list[Order]:
    return list(
        Order.objects.filter(customer=customer).order_by("-placed_at", "-id")[
            :LIST_LIMIT
        ]
    )


def portal_order_get(*, customer: Customer, order_id: int) -> Order:
    """One of the customer's orders with its lines, shipments and events."""
    order = (
        Order.objects.filter(customer=customer, pk=order_id)
        .prefetch_related(
            "lines__product",
            Prefetch(
                "shipments",
                queryset=Shipment.objects.order_by("id").prefetch_related(
                    Prefetch(
                        "events",
                        queryset=TrackingEvent.objects.order_by("occurred_at", "id"),
                    )
                ),
            ),
        )
        .first()
    )
    if order is None:
        raise NotFoundError(_("No such order."))
    return order


def portal_case_list(*, customer: Customer) -> list[Case]:
    return list(
        Case.objects.filter(customer=customer).order_by("-last_activity_at", "-id")[
            :LIST_LIMIT
        ]
    )


def portal_case_get(*, customer: Customer, case_id: int) -> Case:
    case = Case.objects.filter(customer=customer, pk=case_id).first()
    if case is None:
        raise NotFoundError(_("No such case."))
    return case


def public_interactions(*, case: Case) -> QuerySet[Interaction]:
    """The messages of a case its customer may read, oldest first."""
    return (
        Interaction.objects.filter(
            WITH_CUSTOMER,
            case=case,
            channel__in=PUBLIC_CHANNELS,
            direction__in=PUBLIC_DIRECTIONS,
        )
        .prefetch_related("attachments")
        .order_by("occurred_at", "id")
    )


def portal_attachment_get(*, customer: Customer, attachment_id: int) -> Attachment:
    """A file of a public message on one of the customer's cases."""
    attachment = (
        Attachment.objects.filter(
            Q(interaction__metadata__kind__isnull=True)
            | ~Q(interaction__metadata__kind__in=THIRD_PARTY_KINDS),
            pk=attachment_id,
            interaction__customer=customer,
            interaction__case__customer=customer,
            interaction__channel__in=PUBLIC_CHANNELS,
            interaction__direction__in=PUBLIC_DIRECTIONS,
        )
        .select_related("interaction")
        .first()
    )
    if attachment is None:
        raise NotFoundError(_("No such file."))
    return attachment
