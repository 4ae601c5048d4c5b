"""A spam complaint about our mail (a feedback-loop report, a cloud mail service's
complaint notice): the person who complained gets no more marketing email, the sent
email they complained about keeps its delivery state and carries the complaint. No
customer, no case is ever created for it."""

from __future__ import annotations

from dataclasses import dataclass

from amiable.conversations.complaints import interaction_mark_complained
from amiable.conversations.models import Interaction
from amiable.customers.models import (
    ConsentPurpose,
    Customer,
    CustomerStatus,
    Identity,
    IdentityKind,
)
from amiable.customers.selectors import consent_current
from amiable.customers.services import consent_record
from amiable.inbound.parsing import ParsedEmail

COMPLAINT_SOURCE = "feedback loop complaint"


@dataclass(frozen=True)
class ComplaintRecorded:
    customer: Customer | None
    interaction: Interaction | None
    consent_withdrawn: bool


def _customer_of(addresses: list[str]) -> Customer | None:
    for address in addresses:
        identity = (
            Identity.objects.select_related("customer")
            .filter(kind=IdentityKind.EMAIL, normalized=address.lower())
            .first()
        )
        if identity is None:
            continue
        customer = identity.customer
        while customer.merged_into_id is not None:
            customer = Customer.objects.get(pk=customer.merged_into_id)
        return customer
    return None


def _marketing_withdraw(customer: Customer, *, note: str) -> bool:
    """Withdraw ``customer``'s marketing-email consent unless already withdrawn."""
    if customer.status == CustomerStatus.MERGED:
        return False
    for consent in consent_current(customer=customer):
        if consent.purpose == ConsentPurpose.MARKETING_EMAIL and not consent.is_granted:
            return False
    consent_record(
        actor=None,
        customer=customer,
        purpose=ConsentPurpose.MARKETING_EMAIL,
        is_granted=False,
        source=COMPLAINT_SOURCE,
        note=note[:255],
    )
    return True


def complaint_record(parsed: ParsedEmail) -> ComplaintRecorded:
    """Record the complaint ``parsed`` reports (inside the caller's transaction)."""
    feedback = parsed.feedback
    feedback_type = feedback.feedback_type if feedback else "abuse"
    interaction = interaction_mark_complained(
        message_ids=[
            *(feedback.original_message_ids if feedback else []),
            *parsed.in_reply_to,
            *parsed.references,
        ],
        feedback_type=feedback_type,
        reporter=parsed.from_address,
    )
    customer = (
        interaction.customer
        if interaction is not None
        else _customer_of(feedback.recipients if feedback else [])
    )
    withdrawn = customer is not None and _marketing_withdraw(
        customer,
        note=f"{feedback_type} report from {parsed.from_address or 'a null sender'}",
    )
    return ComplaintRecorded(
        customer=customer, interaction=interaction, consent_withdrawn=withdrawn
    )
