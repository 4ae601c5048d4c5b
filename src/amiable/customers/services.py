"""Customer services: every write to customers, identities, consents and facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.core.clock import now
from amiable.core.errors import NotFoundError, ValidationError
from amiable.customers.errors import (
    CustomerMergedError,
    IdentityTakenError,
    MergeNotAllowedError,
)
from amiable.customers.identities import normalize_identity
from amiable.customers.models import (
    Address,
    Consent,
    ConsentPurpose,
    Customer,
    CustomerKind,
    CustomerMerge,
    CustomerStatus,
    FactCategory,
    Identity,
    IdentityKind,
    PersonalFact,
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


@dataclass(frozen=True)
class MergeResult:
    merge: CustomerMerge
    moved_counts: dict[str, int] = field(default_factory=dict)


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


@transaction.atomic
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
    """Create a customer with its identities. Raises IdentityTakenError on a clash."""
    name = name.strip()
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
        company_name=company_name.strip(),
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
    if "name" in changes and not str(changes["name"]).strip():
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
    normalized = normalize_identity(kind, value, platform)
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
            extra={"customer_id": existing.customer_id},
        )
    if is_primary:
        Identity.objects.filter(customer=customer, kind=kind).update(is_primary=False)
    elif not Identity.objects.filter(customer=customer, kind=kind).exists():
        is_primary = True
    try:
        with transaction.atomic():
            identity = Identity.objects.create(
                customer=customer,
                kind=kind,
                value=value.strip(),
                normalized=normalized,
                platform=platform.strip().lower(),
                is_primary=is_primary,
            )
    except IntegrityError as exc:
        raise IdentityTakenError(
            _("This %(kind)s already belongs to another customer.") % {"kind": kind},
            fields={"value": [_("Already used.")]},
        ) from exc
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


@transaction.atomic
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
        with transaction.atomic():
            customer = customer_create(
                actor=actor,
                name=display,
                preferred_language=preferred_language
                if preferred_language in SUPPORTED_LANGUAGES
                else "fr",
                identities=[IdentityIn(kind=kind, value=value, platform=platform)],
            )
    except IdentityTakenError:
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


def _customer_foreign_keys() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) pointing at Customer, except merge bookkeeping."""
    result: list[tuple[type[models.Model], str]] = []
    for model in apps.get_models():
        if model is CustomerMerge:
            continue
        for model_field in model._meta.get_fields():
            if (
                isinstance(model_field, models.ForeignKey)
                and model_field.related_model is Customer
                and not (model is Customer and model_field.name == "merged_into")
            ):
                result.append((model, model_field.name))
    return result


def _demote_duplicates(source: Customer, target: Customer) -> dict[str, list[Any]]:
    """Clear the source's default address and primary identities where the target has
    its own, so the survivor keeps one of each; return the ids for the undo."""
    target_primary_kinds = set(
        Identity.objects.filter(customer=target, is_primary=True).values_list(
            "kind", flat=True
        )
    )
    identities = Identity.objects.filter(
        customer=source, is_primary=True, kind__in=target_primary_kinds
    )
    identity_ids = list(identities.values_list("pk", flat=True))
    identities.update(is_primary=False)
    address_ids: list[Any] = []
    if Address.objects.filter(customer=target, is_default=True).exists():
        addresses = Address.objects.filter(customer=source, is_default=True)
        address_ids = list(addresses.values_list("pk", flat=True))
        addresses.update(is_default=False)
    return {"identities": identity_ids, "addresses": address_ids}


@transaction.atomic
def customer_merge(*, actor: User, source: Customer, target: Customer) -> MergeResult:
    """Move everything of ``source`` onto ``target``; keep an undo record.

    Identities, addresses, consents, facts, orders, interactions, cases and any future
    table pointing at a customer are moved. ``source`` stays as a tombstone.
    Raises MergeNotAllowedError for a self-merge or an already merged customer.
    """
    if source.pk == target.pk:
        raise MergeNotAllowedError(
            _("A customer cannot be merged into itself."),
            fields={"target": [_("Choose another customer.")]},
        )
    source = Customer.objects.select_for_update().get(pk=source.pk)
    target = Customer.objects.select_for_update().get(pk=target.pk)
    if source.status == CustomerStatus.MERGED or target.status == CustomerStatus.MERGED:
        raise MergeNotAllowedError(
            _("One of these customers was already merged."),
            fields={"source": [_("Already merged.")]},
        )
    moved: dict[str, dict[str, list[Any]]] = {
        "demoted": _demote_duplicates(source, target)
    }
    counts: dict[str, int] = {}
    for model, field_name in _customer_foreign_keys():
        queryset = model._default_manager.filter(**{field_name: source.pk})
        ids = list(queryset.values_list("pk", flat=True))
        if not ids:
            continue
        queryset.update(**{field_name: target.pk})
        key = model._meta.label_lower
        moved.setdefault(key, {})[field_name] = ids
        counts[key] = counts.get(key, 0) + len(ids)
    source_tags = list(source.tags.values_list("pk", flat=True))
    added_tags = [pk for pk in source_tags if not target.tags.filter(pk=pk).exists()]
    target.tags.add(*added_tags)
    moved["tags_added"] = {"tags": added_tags}
    if source.customer_since and (
        target.customer_since is None or source.customer_since < target.customer_since
    ):
        moved["target_customer_since"] = {"before": [str(target.customer_since or "")]}
        target.customer_since = source.customer_since
        target.save(update_fields=["customer_since", "updated_at"])
    source.status = CustomerStatus.MERGED
    source.merged_into = target
    source.save(update_fields=["status", "merged_into", "updated_at"])
    merge = CustomerMerge.objects.create(
        source=source, target=target, merged_at=now(), merged_by=actor, moved=moved
    )
    audit_record(
        actor=actor,
        action="customer.merge",
        instance=target,
        after={"source": source.pk, "moved": counts},
    )
    return MergeResult(merge=merge, moved_counts=counts)


@transaction.atomic
def customer_merge_undo(*, actor: User, merge: CustomerMerge) -> CustomerMerge:
    """Move back what a merge moved (rows still on the target) and revive the source."""
    merge = CustomerMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeNotAllowedError(
            _("This merge was already undone."),
            fields={"merge": [_("Already undone.")]},
        )
    target = merge.target
    for label, fields_moved in merge.moved.items():
        if label in {"tags_added", "target_customer_since", "demoted"}:
            continue
        model = apps.get_model(label)
        for field_name, ids in fields_moved.items():
            model._default_manager.filter(pk__in=ids, **{field_name: target.pk}).update(
                **{field_name: merge.source_id}
            )
    demoted = merge.moved.get("demoted", {})
    Identity.objects.filter(
        pk__in=demoted.get("identities", []), customer_id=merge.source_id
    ).update(is_primary=True)
    Address.objects.filter(
        pk__in=demoted.get("addresses", []), customer_id=merge.source_id
    ).update(is_default=True)
    tags_added = merge.moved.get("tags_added", {}).get("tags", [])
    if tags_added:
        target.tags.remove(*tags_added)
    previous_since = merge.moved.get("target_customer_since", {}).get("before")
    if previous_since is not None:
        target.customer_since = (
            dt.date.fromisoformat(previous_since[0]) if previous_since[0] else None
        )
        target.save(update_fields=["customer_since", "updated_at"])
    Customer.objects.filter(pk=merge.source_id).update(
        status=CustomerStatus.ACTIVE, merged_into=None, updated_at=now()
    )
    merge.undone_at = now()
    merge.save(update_fields=["undone_at"])
    audit_record(
        actor=actor,
        action="customer.merge_undo",
        instance=target,
        after={"source": merge.source_id},
    )
    return merge


def customer_get_for_update(*, customer_id: int) -> Customer:
    """Lock and return a customer row for a write. Raises NotFoundError."""
    try:
        return Customer.objects.select_for_update().get(pk=customer_id)
    except Customer.DoesNotExist as exc:
        raise NotFoundError(_("No such customer.")) from exc


__all__ = [
    "FoundCustomer",
    "IdentityIn",
    "IdentityKind",
    "MergeResult",
    "address_add",
    "consent_record",
    "customer_create",
    "customer_find_or_create_by_identity",
    "customer_merge",
    "customer_merge_undo",
    "customer_update",
    "identity_add",
    "identity_remove",
    "personal_fact_add",
]
