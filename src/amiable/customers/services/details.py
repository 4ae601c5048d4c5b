"""Addresses, consents (append-only history) and personal facts of a customer, and
registering a customer with its identities and first address at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.customers.models import (
    Address,
    Consent,
    ConsentPurpose,
    Customer,
    CustomerKind,
    FactCategory,
    PersonalFact,
)
from amiable.customers.services.profile import (
    IdentityIn,
    _ensure_active,
    customer_create,
)

ADDRESS_FIELDS = ["label", "line1", "line2", "postal_code", "city", "country"]


def _address_check(*, line1: str, postal_code: str, city: str, country: str) -> None:
    missing = {
        name: [_("Required.")]
        for name, value in {
            "line1": line1,
            "postal_code": postal_code,
            "city": city,
        }.items()
        if not value.strip()
    }
    if missing:
        raise ValidationError(_("The address is incomplete."), fields=missing)
    if len(country.strip()) != 2 or not country.strip().isalpha():
        raise ValidationError(
            _("Use a two-letter country code."), fields={"country": [_("e.g. FR")]}
        )


@transaction.atomic
def address_add(
    *,
    actor: User | None,
    customer: Customer,
    line1: str,
    postal_code: str,
    city: str,
    country: str = "FR",
    line2: str = "",
    label: str = "",
    is_default: bool = False,
) -> Address:
    """Add a postal address; the first one becomes the default."""
    _ensure_active(customer)
    _address_check(line1=line1, postal_code=postal_code, city=city, country=country)
    if is_default:
        Address.objects.filter(customer=customer).update(is_default=False)
    elif not Address.objects.filter(customer=customer).exists():
        is_default = True
    address = Address.objects.create(
        customer=customer,
        line1=line1.strip(),
        line2=line2.strip(),
        postal_code=postal_code.strip(),
        city=city.strip(),
        country=country.strip().upper(),
        label=label.strip(),
        is_default=is_default,
    )
    audit_record(
        actor=actor,
        action="address.add",
        instance=address,
        after={"customer": customer.pk, "city": address.city},
    )
    return address


@transaction.atomic
def address_update(
    *,
    actor: User | None,
    address: Address,
    line1: str,
    postal_code: str,
    city: str,
    country: str = "FR",
    line2: str = "",
    label: str = "",
    is_default: bool = False,
) -> Address:
    """Correct an address. Making it the default takes that from the others; the
    default stays the default (remove it, or make another one the default)."""
    address = Address.objects.select_for_update().get(pk=address.pk)
    _ensure_active(address.customer)
    _address_check(line1=line1, postal_code=postal_code, city=city, country=country)
    before = snapshot(address, [*ADDRESS_FIELDS, "is_default"])
    if is_default and not address.is_default:
        Address.objects.filter(customer_id=address.customer_id).update(is_default=False)
        address.is_default = True
    address.label = label.strip()
    address.line1 = line1.strip()
    address.line2 = line2.strip()
    address.postal_code = postal_code.strip()
    address.city = city.strip()
    address.country = country.strip().upper()
    address.save()
    audit_record(
        actor=actor,
        action="address.update",
        instance=address,
        before=before,
        after=snapshot(address, [*ADDRESS_FIELDS, "is_default"]),
    )
    return address


@transaction.atomic
def address_remove(*, actor: User | None, address: Address) -> None:
    """Remove an address; when it was the default, the oldest other one becomes
    the default."""
    address = Address.objects.select_for_update().get(pk=address.pk)
    _ensure_active(address.customer)
    audit_record(
        actor=actor,
        action="address.remove",
        instance=address,
        before={"customer": address.customer_id}
        | snapshot(address, [*ADDRESS_FIELDS, "is_default"]),
    )
    was_default, customer_id = address.is_default, address.customer_id
    address.delete()
    if was_default:
        heir = Address.objects.filter(customer_id=customer_id).order_by("id").first()
        if heir is not None:
            Address.objects.filter(pk=heir.pk).update(is_default=True)


@transaction.atomic
def consent_record(
    *,
    actor: User | None,
    customer: Customer,
    purpose: str,
    is_granted: bool,
    source: str,
    note: str = "",
    recorded_at: dt.datetime | None = None,
) -> Consent:
    """Append a consent decision; history is never rewritten."""
    _ensure_active(customer)
    if purpose not in ConsentPurpose.values:
        raise ValidationError(
            _("Unknown purpose."), fields={"purpose": [_("Unknown.")]}
        )
    if not source.strip():
        raise ValidationError(
            _("Say where this consent comes from."), fields={"source": [_("Required.")]}
        )
    consent = Consent.objects.create(
        customer=customer,
        purpose=purpose,
        is_granted=is_granted,
        source=source.strip(),
        note=note.strip(),
        recorded_at=recorded_at or now(),
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="consent.record",
        instance=consent,
        after={
            "customer": customer.pk,
            "purpose": purpose,
            "is_granted": is_granted,
            "source": consent.source,
        },
    )
    return consent


@transaction.atomic
def personal_fact_add(
    *,
    actor: User | None,
    customer: Customer,
    category: str,
    value: str,
    purpose: str,
    source: str,
    noted_on: dt.date | None = None,
) -> PersonalFact:
    """Record a personal fact; a purpose is required (data minimisation)."""
    _ensure_active(customer)
    errors: dict[str, list[str]] = {}
    if category not in FactCategory.values:
        errors["category"] = [_("Unknown category.")]
    if not value.strip():
        errors["value"] = [_("Required.")]
    if not purpose.strip():
        errors["purpose"] = [_("Say why we keep this fact.")]
    if not source.strip():
        errors["source"] = [_("Required.")]
    if errors:
        raise ValidationError(_("The fact is incomplete."), fields=errors)
    fact = PersonalFact.objects.create(
        customer=customer,
        category=category,
        value=value.strip(),
        purpose=purpose.strip(),
        source=source.strip(),
        noted_on=noted_on or now().date(),
    )
    audit_record(
        actor=actor,
        action="fact.add",
        instance=fact,
        after={"customer": customer.pk, "category": category},
    )
    return fact


@dataclass(frozen=True)
class AddressIn:
    line1: str
    postal_code: str
    city: str
    country: str = "FR"
    line2: str = ""
    label: str = ""


@transaction.atomic
def customer_register(
    *,
    actor: User | None,
    name: str,
    kind: str = CustomerKind.PERSON,
    company_name: str = "",
    preferred_language: str = "fr",
    notes: str = "",
    identities: Iterable[IdentityIn] = (),
    address: AddressIn | None = None,
) -> Customer:
    """Create a customer from a staff form: the customer, its identities and its
    first address, all or nothing (``customer_create`` then ``address_add``, each
    audited). Raises ValidationError, IdentityTakenError."""
    customer = customer_create(
        actor=actor,
        name=name,
        kind=kind,
        company_name=company_name,
        preferred_language=preferred_language,
        notes=notes,
        identities=identities,
    )
    if address is not None:
        address_add(
            actor=actor,
            customer=customer,
            line1=address.line1,
            line2=address.line2,
            postal_code=address.postal_code,
            city=address.city,
            country=address.country,
            label=address.label,
        )
    return customer
