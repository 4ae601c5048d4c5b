"""API of customers: the CRM core, its nested identities, addresses, consents and
personal facts, and merges (supervisors and above)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from amiable.accounts.permissions import can_merge_customers
from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, Id, PageOut
from amiable.core.access import STAFF, SUPERVISORS, access
from amiable.core.errors import PermissionDeniedError
from amiable.customers import selectors, services
from amiable.customers.models import (
    Address,
    Consent,
    Customer,
    CustomerMerge,
    Identity,
    PersonalFact,
)
from amiable.customers.schemas import (
    AddressIn,
    AddressOut,
    ConsentIn,
    ConsentOut,
    CustomerCreateIn,
    CustomerListQuery,
    CustomerOut,
    CustomerUpdateIn,
    IdentityIn,
    IdentityOut,
    MergeIn,
    MergeOut,
    PersonalFactIn,
    PersonalFactOut,
)

router = Router()
ERRORS = ERROR_RESPONSES


@router.post("/merges", response={201: MergeOut, **ERRORS})
@access(SUPERVISORS)
def customer_merge_api(request: HttpRequest, payload: MergeIn) -> Status[CustomerMerge]:
    """Merge ``source`` into ``target`` (supervisors and above); undoable."""
    actor = actor_of(request)
    if not can_merge_customers(actor):
        raise PermissionDeniedError(_("Only supervisors can merge customers."))
    source = selectors.customer_get(actor=actor, customer_id=payload.source_id)
    target = selectors.customer_get(actor=actor, customer_id=payload.target_id)
    result = services.customer_merge(actor=actor, source=source, target=target)
    return Status(201, result.merge)


@router.post("/merges/{merge_id}/undo", response={200: MergeOut, **ERRORS})
@access(SUPERVISORS)
def customer_merge_undo_api(request: HttpRequest, merge_id: Id) -> CustomerMerge:
    """Undo a merge: moved rows go back, the source customer is active again."""
    actor = actor_of(request)
    if not can_merge_customers(actor):
        raise PermissionDeniedError(_("Only supervisors can undo a merge."))
    merge = selectors.merge_get(actor=actor, merge_id=merge_id)
    return services.customer_merge_undo(actor=actor, merge=merge)


@router.get("", response={200: PageOut[CustomerOut], **ERRORS})
@access(STAFF)
def customer_list_api(
    request: HttpRequest, params: Query[CustomerListQuery]
) -> dict[str, Any]:
    """Customers, filtered and sorted; ``q`` searches names and identities."""
    queryset = selectors.customer_list(
        actor=actor_of(request),
        filters=selectors.CustomerFilters(
            text=params.q,
            kind=params.kind or "",
            tag=params.tag,
            include_merged=params.include_merged,
        ),
    )
    return page_of(
        queryset,
        ordering=selectors.SORTS[params.sort],
        limit=params.limit,
        cursor=params.cursor,
    )


@router.post("", response={201: CustomerOut, **ERRORS})
@access(STAFF)
def customer_create_api(
    request: HttpRequest, payload: CustomerCreateIn
) -> Status[Customer]:
    """Create a customer with its identities (409 if an identity is taken)."""
    customer = services.customer_create(
        actor=actor_of(request),
        name=payload.name,
        kind=payload.kind,
        company_name=payload.company_name,
        preferred_language=payload.preferred_language,
        customer_since=payload.customer_since,
        tags=payload.tags,
        notes=payload.notes,
        identities=[
            services.IdentityIn(
                kind=identity.kind,
                value=identity.value,
                platform=identity.platform,
                is_primary=identity.is_primary,
            )
            for identity in payload.identities
        ],
    )
    return Status(201, customer)


@router.get("/{customer_id}", response={200: CustomerOut, **ERRORS})
@access(STAFF)
def customer_get_api(request: HttpRequest, customer_id: Id) -> Customer:
    return selectors.customer_get(actor=actor_of(request), customer_id=customer_id)


@router.patch("/{customer_id}", response={200: CustomerOut, **ERRORS})
@access(STAFF)
def customer_update_api(
    request: HttpRequest, customer_id: Id, payload: CustomerUpdateIn
) -> Customer:
    """Change only the fields sent."""
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    changes = payload.model_dump(exclude_unset=True)
    tags = changes.pop("tags", None)
    customer = services.customer_update(
        actor=actor, customer=customer, tags=tags, **changes
    )
    return selectors.customer_get(actor=actor, customer_id=customer.pk)


@router.get("/{customer_id}/identities", response={200: list[IdentityOut], **ERRORS})
@access(STAFF)
def identity_list_api(request: HttpRequest, customer_id: Id) -> list[Identity]:
    customer = selectors.customer_get(actor=actor_of(request), customer_id=customer_id)
    return list(customer.identities.all())


@router.post("/{customer_id}/identities", response={201: IdentityOut, **ERRORS})
@access(STAFF)
def identity_add_api(
    request: HttpRequest, customer_id: Id, payload: IdentityIn
) -> Status[Identity]:
    """Attach an email, phone (E.164) or social handle; 409 if someone has it."""
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    identity = services.identity_add(
        actor=actor,
        customer=customer,
        kind=payload.kind,
        value=payload.value,
        platform=payload.platform,
        is_primary=payload.is_primary,
    )
    return Status(201, identity)


@router.get("/{customer_id}/addresses", response={200: list[AddressOut], **ERRORS})
@access(STAFF)
def address_list_api(request: HttpRequest, customer_id: Id) -> list[Address]:
    customer = selectors.customer_get(actor=actor_of(request), customer_id=customer_id)
    return list(customer.addresses.all())


@router.post("/{customer_id}/addresses", response={201: AddressOut, **ERRORS})
@access(STAFF)
def address_add_api(
    request: HttpRequest, customer_id: Id, payload: AddressIn
) -> Status[Address]:
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    address = services.address_add(
        actor=actor, customer=customer, **payload.model_dump()
    )
    return Status(201, address)


@router.get("/{customer_id}/consents", response={200: list[ConsentOut], **ERRORS})
@access(STAFF)
def consent_history_api(request: HttpRequest, customer_id: Id) -> list[Consent]:
    """Every consent decision, newest first (the first per purpose is current)."""
    customer = selectors.customer_get(actor=actor_of(request), customer_id=customer_id)
    return list(customer.consents.order_by("-recorded_at", "-id"))


@router.post("/{customer_id}/consents", response={201: ConsentOut, **ERRORS})
@access(STAFF)
def consent_record_api(
    request: HttpRequest, customer_id: Id, payload: ConsentIn
) -> Status[Consent]:
    """Append a consent decision; history is never rewritten."""
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    consent = services.consent_record(
        actor=actor, customer=customer, **payload.model_dump()
    )
    return Status(201, consent)


@router.get("/{customer_id}/facts", response={200: list[PersonalFactOut], **ERRORS})
@access(STAFF)
def personal_fact_list_api(request: HttpRequest, customer_id: Id) -> list[PersonalFact]:
    customer = selectors.customer_get(actor=actor_of(request), customer_id=customer_id)
    return list(customer.facts.all())


@router.post("/{customer_id}/facts", response={201: PersonalFactOut, **ERRORS})
@access(STAFF)
def personal_fact_add_api(
    request: HttpRequest, customer_id: Id, payload: PersonalFactIn
) -> Status[PersonalFact]:
    """Record a personal fact with the purpose it is kept for."""
    actor = actor_of(request)
    customer = selectors.customer_get(actor=actor, customer_id=customer_id)
    fact = services.personal_fact_add(
        actor=actor, customer=customer, **payload.model_dump()
    )
    return Status(201, fact)
