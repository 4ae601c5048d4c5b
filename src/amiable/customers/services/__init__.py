"""Customer services: every write to customers, identities, consents and facts."""

from amiable.customers.services.details import (
    AddressIn,
    address_add,
    address_remove,
    address_update,
    consent_record,
    customer_register,
    personal_fact_add,
)
from amiable.customers.services.merge import (
    MergeResult,
    customer_merge,
    customer_merge_undo,
)
from amiable.customers.services.profile import (
    FoundCustomer,
    IdentityIn,
    customer_create,
    customer_find_or_create_by_identity,
    customer_get_for_update,
    customer_update,
    identity_add,
    identity_remove,
)

__all__ = [
    "AddressIn",
    "FoundCustomer",
    "IdentityIn",
    "MergeResult",
    "address_add",
    "address_remove",
    "address_update",
    "consent_record",
    "customer_create",
    "customer_find_or_create_by_identity",
    "customer_get_for_update",
    "customer_merge",
    "customer_merge_undo",
    "customer_register",
    "customer_update",
    "identity_add",
    "identity_remove",
    "personal_fact_add",
]
