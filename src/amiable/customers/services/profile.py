"""Creating and editing customers and their identities; finding a customer by
any identity."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.core.clock import now
from amiable.core.errors import NotFoundError, ValidationError
from amiable.core.text import single_line
from amiable.core.unit_of_work import race_savepoint, savepoint, service_atomic
from amiable.customers.errors import (
    CustomerMergedError,
    IdentityTakenError,
)
from amiable.customers.identities import normalize_identity
from amiable.customers.models import (
    Customer,
    CustomerKind,
    CustomerStatus,
    Identity,
    Tag,
)

CUSTOMER_AUDITED_FIELDS = [
    "kind",
    "name",
    "company_name",
    "preferred_language",
    "customer_since",
    "status",
    "notes",
]


SUPPORTED_LANGUAGES = {"fr", "en"}


@dataclass(frozen=True)
class IdentityIn:
    kind: str
    value: str
    platform: str = ""
    is_primary: bool = False


@dataclass(frozen=True)
class FoundCustomer:
    customer: Customer
    created: bool


def _check_language(language: str) -> None:
    if language not in SUPPORTED_LANGUAGES:
        raise ValidationError(
            _("Unsupported language."),
            fields={"preferred_language": [_("Use fr or en.")]},
        )


def _ensure_active(customer: Customer) -> None:
    if customer.status == CustomerStatus.MERGED:
        raise CustomerMergedError(
            _("This customer was merged into another one."),
            fields={"customer": [_("Merged customers cannot be changed.")]},
        )


def _set_tags(customer: Customer, tags: Iterable[str]) -> None:
    names = sorted({tag.strip()[:60] for tag in tags if tag.strip()})
    objects = [Tag.objects.get_or_create(name=name)[0] for name in names]
    customer.tags.set(objects)


@service_atomic
def customer_create(
    *,
    actor: User | None,
    name: str,
    kind: str = CustomerKind.PERSON,
    company_name: str = "",
    preferred_language: str = "fr",
    customer_since: dt.date | None = None,
    tags: Iterable[str] = (),
    notes: str = "",
    identities: Iterable[IdentityIn] = (),
) -> Customer:
    """Create a customer with its identities. Raises IdentityTakenError on a clash.
    Line breaks in the name become spaces (it goes into e-mail headers)."""
    name = single_line(name)
    if not name:
        raise ValidationError(
            _("A customer needs a name."), fields={"name": [_("Required.")]}
        )
    if kind not in CustomerKind.values:
        raise ValidationError(_("Unknown kind."), fields={"kind": [_("Unknown kind.")]})
    _check_language(preferred_language)
    customer = Customer.objects.create(
        name=name,
        kind=kind,
        company_name=single_line(company_name),
        preferred_language=preferred_language,
        customer_since=customer_since or now().date(),
        notes=notes,
    )
    if tags:
        _set_tags(customer, tags)
    audit_record(
        actor=actor,
        action="customer.create",
        instance=customer,
        after=snapshot(customer, CUSTOMER_AUDITED_FIELDS),
    )
    for identity in identities:
        identity_add(
            actor=actor,
            customer=customer,
            kind=identity.kind,
            value=identity.value,
            platform=identity.platform,
            is_primary=identity.is_primary,
        )
    return customer


@transaction.atomic
def customer_update(
    *,
    actor: User | None,
    customer: Customer,
    tags: Iterable[str] | None = None,
    **changes: Any,
) -> Customer:
    """Change a customer's own fields; only the given ones, all audited."""
    _ensure_active(customer)
    allowed = set(CUSTOMER_AUDITED_FIELDS) - {"status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed."),
            fields={
                name: [_("Unknown or read-only field.")] for name in sorted(unknown)
            },
        )
    for one_line in ("name", "company_name"):
        if one_line in changes:
            changes[one_line] = single_line(str(changes[one_line]))
    if "name" in changes and not changes["name"]:
        raise ValidationError(
            _("A customer needs a name."), fields={"name": [_("Required.")]}
        )
    if "preferred_language" in changes:
        _check_language(changes["preferred_language"])
    if "kind" in changes and changes["kind"] not in CustomerKind.values:
        raise ValidationError(_("Unknown kind."), fields={"kind": [_("Unknown kind.")]})
    before = snapshot(customer, CUSTOMER_AUDITED_FIELDS)
    for name, value in changes.items():
        setattr(customer, name, value.strip() if isinstance(value, str) else value)
    customer.save()
    if tags is not None:
        _set_tags(customer, tags)
    audit_record(
        actor=actor,
        action="customer.update",
        instance=customer,
        before=before,
        after=snapshot(customer, CUSTOMER_AUDITED_FIELDS),
    )
    return customer


@transaction.atomic
def identity_add(
    *,
    actor: User | None,
    customer: Customer,
    kind: str,
    value: str,
    platform: str = "",
    is_primary: bool = False,
) -> Identity:
    """Attach an identity. Raises IdentityTakenError if another customer has it."""
    _ensure_active(customer)
    try:
        normalized = normalize_identity(kind, value, platform)
    except ValidationError as exc:
        exc.extra.setdefault("kind", kind)  # which field of a form it is about
        raise
    existing = Identity.objects.filter(kind=kind, normalized=normalized).first()
    if existing is not None:
        if existing.customer_id == customer.pk:
            return existing
        raise IdentityTakenError(
            _("This %(kind)s already belongs to another customer.") % {"kind": kind},
            fields={
                "value": [
                    _("Already used by customer #%(id)s.")
                    % {"id": existing.customer_id}
                ]
            },
            extra={"customer_id": existing.customer_id, "kind": kind},
        )
    if is_primary:
        Identity.objects.filter(customer=customer, kind=kind).update(is_primary=False)
    elif not Identity.objects.filter(customer=customer, kind=kind).exists():
        is_primary = True
    try:
        with savepoint():
            identity = _identity_insert(
                actor=actor,
                customer=customer,
                kind=kind,
                value=value,
                normalized=normalized,
                platform=platform,
                is_primary=is_primary,
            )
    except IntegrityError as exc:
        raise IdentityTakenError(
            _("This %(kind)s already belongs to another customer.") % {"kind": kind},
            fields={"value": [_("Already used.")]},
            extra={"kind": kind},
        ) from exc
    return identity


def _identity_insert(
    *,
    actor: User | None,
    customer: Customer,
    kind: str,
    value: str,
    normalized: str,
    platform: str,
    is_primary: bool,
) -> Identity:
    """Store an identity and its audit line (raises IntegrityError when taken)."""
    identity = Identity.objects.create(
        customer=customer,
        kind=kind,
        value=value.strip(),
        normalized=normalized,
        platform=platform.strip().lower(),
        is_primary=is_primary,
    )
    audit_record(
        actor=actor,
        action="identity.add",
        instance=identity,
        after={"customer": customer.pk, "kind": kind, "normalized": normalized},
    )
    return identity


@transaction.atomic
def identity_remove(*, actor: User | None, identity: Identity) -> None:
    """Detach an identity from its customer."""
    audit_record(
        actor=actor,
        action="identity.remove",
        instance=identity,
        before={
            "customer": identity.customer_id,
            "kind": identity.kind,
            "normalized": identity.normalized,
        },
    )
    identity.delete()


@service_atomic
def customer_find_or_create_by_identity(
    *,
    actor: User | None,
    kind: str,
    value: str,
    name: str = "",
    platform: str = "",
    preferred_language: str = "fr",
) -> FoundCustomer:
    """Return the customer owning this identity, creating one if nobody does.

    Follows merges to the surviving customer. Safe under concurrency: when two callers
    race, the loser finds the winner's customer.
    """
    normalized = normalize_identity(kind, value, platform)
    identity = (
        Identity.objects.select_related("customer")
        .filter(kind=kind, normalized=normalized)
        .first()
    )
    if identity is not None:
        return FoundCustomer(customer=_surviving(identity.customer), created=False)
    display = name.strip() or value.strip()
    try:
        # The identity was free when read: a new customer holds it, first and
        # so primary, without the checks of identity_add (one insert each).
        with race_savepoint():
            customer = customer_create(
                actor=actor,
                name=display,
                preferred_language=preferred_language
                if preferred_language in SUPPORTED_LANGUAGES
                else "fr",
            )
            _identity_insert(
                actor=actor,
                customer=customer,
                kind=kind,
                value=value,
                normalized=normalized,
                platform=platform,
                is_primary=True,
            )
    except IntegrityError:
        identity = Identity.objects.select_related("customer").get(
            kind=kind, normalized=normalized
        )
        return FoundCustomer(customer=_surviving(identity.customer), created=False)
    return FoundCustomer(customer=customer, created=True)


def _surviving(customer: Customer) -> Customer:
    seen = {customer.pk}
    while customer.merged_into_id is not None:
        customer = Customer.objects.get(pk=customer.merged_into_id)
        if customer.pk in seen:
            break
        seen.add(customer.pk)
    return customer


def customer_get_for_update(*, customer_id: int) -> Customer:
    """Lock and return a customer row for a write. Raises NotFoundError."""
    try:
        return Customer.objects.select_for_update().get(pk=customer_id)
    except Customer.DoesNotExist as exc:
        raise NotFoundError(_("No such customer.")) from exc
