"""Merging two customers with an undo record, and undoing it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.core.clock import now
from amiable.customers.errors import (
    MergeNotAllowedError,
)
from amiable.customers.models import (
    Address,
    Customer,
    CustomerMerge,
    CustomerStatus,
    Identity,
)


@dataclass(frozen=True)
class MergeResult:
    merge: CustomerMerge
    moved_counts: dict[str, int] = field(default_factory=dict)


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
