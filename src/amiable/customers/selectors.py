"""Scoped reads of customers, and the customer 360 summary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.core.errors import NotFoundError
from amiable.customers.models import (
    Consent,
    Customer,
    CustomerMerge,
    CustomerStatus,
    Identity,
)

SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
}
DEFAULT_SORT = "name"


@dataclass(frozen=True)
class CustomerFilters:
    text: str = ""
    kind: str = ""
    tag: str = ""
    include_merged: bool = False


def customer_list(*, actor: User, filters: CustomerFilters) -> QuerySet[Customer]:
    """Customers staff may see (all staff see the CRM), filtered."""
    queryset = Customer.objects.prefetch_related("tags")
    if not filters.include_merged:
        queryset = queryset.filter(status=CustomerStatus.ACTIVE)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag)
    if filters.text.strip():
        from amiable.customers.search import customer_search_filter

        queryset = customer_search_filter(queryset, filters.text)
    return queryset


def customer_get(*, actor: User, customer_id: int, with_tags: bool = True) -> Customer:
    """One customer, with its tags unless ``with_tags`` is False (a write that only
    needs the row). Raises NotFoundError."""
    queryset = Customer.objects.filter(pk=customer_id)
    if with_tags:
        queryset = queryset.prefetch_related("tags")
    customer = queryset.first()
    if customer is None:
        raise NotFoundError(_("No such customer."))
    return customer


def identity_get(*, actor: User, identity_id: int) -> Identity:
    identity = (
        Identity.objects.select_related("customer").filter(pk=identity_id).first()
    )
    if identity is None:
        raise NotFoundError(_("No such identity."))
    return identity


def consent_current(*, customer: Customer) -> list[Consent]:
    """The latest decision per purpose."""
    latest: dict[str, Consent] = {}
    for consent in Consent.objects.filter(customer=customer).order_by(
        "purpose", "-recorded_at", "-id"
    ):
        latest.setdefault(consent.purpose, consent)
    return list(latest.values())


def merge_get(*, actor: User, merge_id: int) -> CustomerMerge:
    merge = (
        CustomerMerge.objects.select_related("source", "target")
        .filter(pk=merge_id)
        .first()
    )
    if merge is None:
        raise NotFoundError(_("No such merge."))
    return merge
