"""Who a customer is, as the strings to find and scrub (``DataSubject``)."""

from __future__ import annotations

import re

import phonenumbers

from amiable.core.personal_data import TOMBSTONE, DataSubject
from amiable.customers.models import Address, Customer, Identity, IdentityKind

_NAME_PART = re.compile(r"[^\W\d_]{3,}(?:[-'’][^\W\d_]+)*")


def customer_ids_of(customer: Customer) -> tuple[int, ...]:
    """The customer and every customer merged into it, however deep."""
    ids = [customer.pk]
    frontier = [customer.pk]
    while frontier:
        frontier = list(
            Customer.objects.filter(merged_into_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return tuple(ids)


def phone_formats(e164: str) -> list[str]:
    """The ways a number is commonly written: E.164, international, national."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return [e164]
    formats = [
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
        phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
        ),
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
    ]
    formats.append(formats[-1].replace(" ", ""))
    return formats


def data_subject_of(customer: Customer) -> DataSubject:
    ids = customer_ids_of(customer)
    secrets: set[str] = set()
    words: set[str] = set()
    phones: set[str] = set()
    for name, company in Customer.objects.filter(pk__in=ids).values_list(
        "name", "company_name"
    ):
        for value in (name, company):
            if value and value != TOMBSTONE:
                secrets.add(value)
                words.update(_NAME_PART.findall(value))
                words.update(part for part in re.split(r"[-\s]+", value) if part)
    for kind, value, normalized in Identity.objects.filter(
        customer_id__in=ids
    ).values_list("kind", "value", "normalized"):
        secrets.update((value, normalized))
        if kind == IdentityKind.PHONE:
            phones.add(normalized)
            secrets.update(phone_formats(normalized))
    for line1, line2 in Address.objects.filter(customer_id__in=ids).values_list(
        "line1", "line2"
    ):
        secrets.update(line for line in (line1, line2) if line)
    return DataSubject(
        customer_ids=ids,
        secrets=tuple(sorted(s for s in secrets if len(s.strip()) >= 3)),
        phones=tuple(sorted(phones)),
        words=tuple(sorted(w for w in words if len(w) >= 3)),
    )
