"""The acknowledgement a customer gets when an email opens a case: automatic, so
marked as such (RFC 3834), never sent to robots, at most a few per address a day."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.utils import translation

from amiable.cases.models import Case
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.services import (
    interaction_queue_delivery,
    interaction_record,
)
from amiable.core.clock import now
from amiable.core.unit_of_work import service_atomic
from amiable.customers.models import Customer
from amiable.inbound.classify import is_no_reply_address
from amiable.inbound.models import AutoMessage, Mailbox

WINDOW = dt.timedelta(hours=24)
KIND = "acknowledgement"


def auto_message_allowed(*, address: str) -> bool:
    """Under the per-address limit of automatic messages in the last 24 hours."""
    limit = settings.AMIABLE_AUTO_MESSAGES_PER_ADDRESS_PER_DAY
    recent = AutoMessage.objects.filter(
        address=address.lower(), sent_at__gte=now() - WINDOW
    ).count()
    return recent < limit


# Insert the row only while the address is under its limit: one statement.
COUNTED_INSERT_SQL = (
    "INSERT INTO inbound_automessage (address, kind, sent_at) "
    "SELECT %s, %s, %s WHERE (SELECT COUNT(*) FROM inbound_automessage "
    "WHERE address = %s AND sent_at >= %s) < %s"
)


def auto_message_count(*, address: str) -> bool:
    """Count an automatic message to ``address`` if it is under the per-address
    limit of the last 24 hours (one conditional insert, the table of
    ``AutoMessage``); False when the limit is reached."""
    address = address.lower()
    moment = now()
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            COUNTED_INSERT_SQL,
            [
                address,
                KIND,
                adapt(moment),
                address,
                adapt(moment - WINDOW),
                settings.AMIABLE_AUTO_MESSAGES_PER_ADDRESS_PER_DAY,
            ],
        )
        return bool(cursor.rowcount == 1)


@service_atomic
def acknowledgement_send(
    *, case: Case, customer: Customer, address: str, mailbox: Mailbox | None
) -> Interaction | None:
    """Queue the acknowledgement of a new case; None when it must not be sent (turned
    off, a no-reply address, or the address's daily limit reached)."""
    if not settings.AMIABLE_INBOUND_ACKNOWLEDGE or is_no_reply_address(address):
        return None
    if not auto_message_count(address=address):
        return None
    with translation.override(customer.preferred_language):
        body = render_to_string(
            "inbound/email/acknowledgement.txt",
            {"name": customer.name, "reference": case.reference},
        ).strip()
    recorded = interaction_record(
        actor=None,
        customer=customer,
        case=case,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        subject=f"[{case.reference}] {case.subject}",
        body_text=body,
        metadata={
            "auto_submitted": True,
            "automatic": KIND,
            "from_address": mailbox.address if mailbox else "",
        },
    )
    interaction_queue_delivery(interaction=recorded.interaction)
    return recorded.interaction
