"""Scoped reads of customers, and the customer 360 summary."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.core.errors import ApplicationError, NotFoundError
from amiable.customers.identities import normalize_email, phone_e164_or_none
from amiable.customers.models import (
    Address,
    Consent,
    Customer,
    CustomerMerge,
    CustomerStatus,
    Identity,
    IdentityKind,
)
from amiable.customers.search import customer_search_filter

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
        identity = customer_identity_key(filters.text)
        if identity is None:
            return customer_search_filter(queryset, filters.text)
        # A phone number or an email in any spelling finds its owner too (by the
        # unique identity index), beside the full-text matches.
        owners = Identity.objects.filter(
            kind=identity[0], normalized=identity[1]
        ).values("customer_id")
        matches = customer_search_filter(Customer.objects.all(), filters.text)
        queryset = queryset.filter(Q(pk__in=owners) | Q(pk__in=matches.values("pk")))
    return queryset


SEARCH_LIMIT = 10


@dataclass(frozen=True)
class CustomerMatches:
    """Customers found for a search box's text."""

    by_identity: Customer | None  # the owner of the email or phone number typed
    by_text: list[Customer]  # others whose names or identities match the words

    @property
    def all(self) -> list[Customer]:
        return ([self.by_identity] if self.by_identity else []) + self.by_text


def customer_list_matching(
    *, actor: User, text: str, limit: int = SEARCH_LIMIT
) -> CustomerMatches:
    """Active customers for a search box: the owner of the email or phone number
    ``text`` (any national or international spelling, normalised to E.164), then
    customers whose names or identities match it (full text). Indexed lookups only:
    at most two queries, whatever the number of customers."""
    text = text.strip()
    owner: Customer | None = None
    identity = customer_identity_key(text)
    if identity is not None:
        kind, normalized = identity
        owner = Customer.objects.filter(
            status=CustomerStatus.ACTIVE,
            identities__kind=kind,
            identities__normalized=normalized,
        ).first()
    by_text = customer_search_filter(
        Customer.objects.filter(status=CustomerStatus.ACTIVE), text
    ).order_by("name", "id")
    if owner is not None:
        by_text = by_text.exclude(pk=owner.pk)
    wanted = limit - (1 if owner else 0)
    return CustomerMatches(by_identity=owner, by_text=list(by_text[: max(wanted, 0)]))


def customer_identity_key(text: str) -> tuple[str, str] | None:
    """(kind, normalised value) when ``text`` is an email address or a phone number
    in any spelling; None otherwise. Never raises."""
    text = text.strip()
    if "@" in text:
        try:
            return IdentityKind.EMAIL, normalize_email(text)
        except ApplicationError:
            return None
    phone = phone_e164_or_none(text)
    return None if phone is None else (IdentityKind.PHONE, phone)


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


def address_get(*, actor: User, customer: Customer, address_id: int) -> Address:
    """One of ``customer``'s addresses. Raises NotFoundError (another's too)."""
    address = Address.objects.filter(pk=address_id, customer=customer).first()
    if address is None:
        raise NotFoundError(_("No such address."))
    return address


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


@dataclass(frozen=True)
class DuplicateGroup:
    """Active customers who are probably one person, and why we think so."""

    reason: str  # "same_name" or "same_address"
    key: str
    customers: list[Customer]


DUPLICATE_GROUPS_MAX = 50


def _email_canonical(address: str) -> str:
    """jean.dupont+shop@gmail.com -> jeandupont@gmail.com: the variants a person
    uses for one mailbox (sub-addresses; dots for Gmail)."""
    local, _at, domain = address.lower().partition("@")
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def customer_duplicate_groups(
    *, actor: User, limit: int = DUPLICATE_GROUPS_MAX
) -> list[DuplicateGroup]:
    """Groups of active customers with the same name (case-insensitive) or with
    email addresses that reach the same mailbox; at most ``limit`` groups, in a
    fixed number of queries."""
    from django.db.models import Count
    from django.db.models.functions import Lower

    names = list(
        Customer.objects.filter(status=CustomerStatus.ACTIVE)
        .annotate(key=Lower("name"))
        .values("key")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .order_by("key")
        .values_list("key", flat=True)[:limit]
    )
    by_address: dict[str, set[int]] = {}
    variants = Identity.objects.filter(
        kind="email", customer__status=CustomerStatus.ACTIVE
    ).filter(Q(normalized__contains="+") | Q(normalized__endswith="@gmail.com"))
    for customer_id, normalized in variants.values_list("customer_id", "normalized")[
        :5000
    ]:
        by_address.setdefault(_email_canonical(normalized), set()).add(customer_id)
    canonical = list(by_address)
    exact = Identity.objects.filter(
        kind="email",
        normalized__in=canonical,
        customer__status=CustomerStatus.ACTIVE,
    ).values_list("customer_id", "normalized")
    for customer_id, normalized in exact:
        by_address[_email_canonical(normalized)].add(customer_id)
    address_groups = sorted(
        (key, ids) for key, ids in by_address.items() if len(ids) > 1
    )[:limit]
    customers = Customer.objects.filter(status=CustomerStatus.ACTIVE).prefetch_related(
        "identities"
    )
    wanted_ids = {pk for _key, ids in address_groups for pk in ids}
    found = list(
        customers.annotate(key=Lower("name")).filter(
            Q(key__in=names) | Q(pk__in=wanted_ids)
        )
    )
    groups = [
        DuplicateGroup(
            reason="same_name",
            key=name,
            customers=sorted(
                (item for item in found if getattr(item, "key", "") == name),
                key=lambda item: item.pk,
            ),
        )
        for name in names
    ]
    groups += [
        DuplicateGroup(
            reason="same_address",
            key=key,
            customers=sorted(
                (item for item in found if item.pk in ids), key=lambda item: item.pk
            ),
        )
        for key, ids in address_groups
    ]
    return [group for group in groups if len(group.customers) > 1][:limit]
