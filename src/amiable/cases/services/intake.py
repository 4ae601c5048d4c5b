"""Opening a case for a contact that did not come in by itself: a phone call, a
letter, a customer at the desk; for a known customer or one registered on the spot."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseKind
from amiable.cases.services.opening import case_open
from amiable.commerce.models import Order
from amiable.conversations.models import Channel
from amiable.core.errors import ValidationError
from amiable.customers.models import Customer, CustomerKind, IdentityKind
from amiable.customers.services import IdentityIn, customer_register

# The channels an agent records by hand; the others bring their messages in.
STAFF_CHANNELS = (Channel.PHONE, Channel.LETTER, Channel.IN_PERSON)


@dataclass(frozen=True)
class NewCustomerIn:
    """A customer met for the first time, registered with the case."""

    name: str
    kind: str = CustomerKind.PERSON
    preferred_language: str = "fr"
    email: str = ""
    phone: str = ""


@transaction.atomic
def case_open_for_contact(
    *,
    actor: User,
    channel: str,
    subject: str,
    body_text: str,
    customer: Customer | None = None,
    new_customer: NewCustomerIn | None = None,
    kind: str = CaseKind.QUESTION,
    order: Order | None = None,
    assign_to_me: bool = True,
) -> Case:
    """Open a case for a call, a letter or a walk-in, its summary as the customer's
    first message; registers ``new_customer`` first when no ``customer`` is given,
    all in one transaction (``customer_register`` then ``case_open``, each audited).

    Raises ValidationError (no customer, wrong channel, bad fields: an identity's
    error carries its kind in ``extra``), IdentityTakenError.
    """
    if channel not in STAFF_CHANNELS:
        raise ValidationError(
            _("Choose phone, letter or in person."),
            fields={"channel": [_("Unknown channel.")]},
        )
    if not body_text.strip():
        raise ValidationError(
            _("Write what the customer said."), fields={"body_text": [_("Required.")]}
        )
    if customer is None:
        if new_customer is None:
            raise ValidationError(
                _("Pick a customer or register a new one."),
                fields={"customer": [_("Required.")]},
            )
        identities = [
            IdentityIn(kind=identity_kind, value=value)
            for identity_kind, value in (
                (IdentityKind.EMAIL, new_customer.email),
                (IdentityKind.PHONE, new_customer.phone),
            )
            if value.strip()
        ]
        customer = customer_register(
            actor=actor,
            name=new_customer.name,
            kind=new_customer.kind,
            preferred_language=new_customer.preferred_language,
            identities=identities,
        )
    return case_open(
        actor=actor,
        customer=customer,
        subject=subject,
        kind=kind,
        channel=channel,
        orders=[order] if order is not None else [],
        body_text=body_text,
        assignee=actor if assign_to_me else None,
    )
