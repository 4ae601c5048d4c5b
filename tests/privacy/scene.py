"""A person with data in every store, built through the services as in real life:
an e-mail with an attachment (raw source, interaction, case, acknowledgement),
a phone and an address, a rename (audit lines), a staff reply (a sent-mail file),
a portal code, an order. And a second person who must be left untouched."""

from __future__ import annotations

import json
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.services import case_reply
from amiable.customers.models import Customer, Identity
from amiable.customers.services import address_add, customer_update, identity_add
from amiable.inbound.services import email_ingest
from amiable.portal.services import portal_code_request
from tests.factories import OrderFactory

NAME = "Hélène Dupré-Lefèvre"
EMAIL = "helene.dupre-lefevre@exemple.fr"
PHONE_WRITTEN = ("+33 6 12 34 56 78", "06 12 34 56 78", "0612345678", "06.12.34.56.78")
PHONE_E164 = "+33612345678"
ADDRESS = "12 rue de l'Église Saint-Ouën"
ADDRESS_2 = "Bâtiment « Les Érables », 3e étage"

OTHER_NAME = "Marc Durand-Ollivier"
OTHER_EMAIL = "marc.durand@exemple.org"


@dataclass(frozen=True)
class Person:
    customer: Customer
    case: Case


def raw_email(*, sender: str, subject: str, body: str, attachment: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@amiable.localhost"
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = make_msgid(domain="exemple.fr")
    message.set_content(body)
    if attachment:
        message.add_attachment(
            attachment.encode("utf-8"),
            maintype="text",
            subtype="plain",
            filename="adresse de livraison.txt",
        )
    # Unfolded: the inbound parser drops a first header folded right after its
    # colon (« From:\n =?utf-8?…» as Python folds a long encoded name).
    return message.as_bytes(policy=message.policy.clone(max_line_length=998))


def person_build(*, actor: User, name: str, email: str, phone: str = "") -> Person:
    body = (
        f"Bonjour,\n\nJe suis {name}, ma commande n'est pas arrivée au {ADDRESS}.\n"
        f"Rappelez-moi au {PHONE_WRITTEN[0]} ou au {PHONE_WRITTEN[3]}.\n\n{name}"
        if phone
        else f"Bonjour,\n\nJe suis {name}.\n\n{name}"
    )
    attachment = f"{name}\n{ADDRESS}\n{ADDRESS_2}\n27000 Évreux" if phone else ""
    result = email_ingest(
        raw=raw_email(
            sender=f"{name} <{email}>",
            subject=f"Colis perdu — {name}",
            body=body,
            attachment=attachment,
        ),
        source="smtp",
    )
    assert result.case_id is not None, result
    case = Case.objects.get(pk=result.case_id)
    customer = Customer.objects.get(pk=case.customer_id)
    if phone:
        identity_add(actor=actor, customer=customer, kind="phone", value=phone)
        address_add(
            actor=actor,
            customer=customer,
            line1=ADDRESS,
            line2=ADDRESS_2,
            postal_code="27000",
            city="Évreux",
        )
        customer = customer_update(
            actor=actor, customer=customer, notes=f"Appeler {name} le matin"
        )
        OrderFactory.create(customer=customer)
        portal_code_request(email=email, requested_from="192.0.2.7")
    case.refresh_from_db()
    case_reply(
        actor=actor,
        case=case,
        body_text=f"Bonjour {name},\n\nNous renvoyons le colis"
        + (f" au {ADDRESS}." if phone else "."),
    )
    return Person(customer=customer, case=case)


def needles() -> list[bytes]:
    """Every form the person's data may take in a file: UTF-8, lower case, and the
    JSON escape of the accents (``H\\u00e9l\\u00e8ne``)."""
    texts = [NAME, EMAIL, PHONE_E164, *PHONE_WRITTEN, ADDRESS, ADDRESS_2]
    forms: set[bytes] = set()
    for text in texts:
        for variant in (text, text.lower()):
            forms.add(variant.encode("utf-8"))
            forms.add(json.dumps(variant)[1:-1].encode("ascii"))
    return sorted(forms)


def identity_values(customer: Customer) -> list[str]:
    return list(
        Identity.objects.filter(customer=customer).values_list("normalized", flat=True)
    )
