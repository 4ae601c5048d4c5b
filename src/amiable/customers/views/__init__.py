"""Staff pages of the customers app: the list, the customer page, creating and
editing customers, and the duplicate finder with merge and undo."""

from amiable.customers.views.editing import (
    address_add_view,
    address_edit_view,
    address_remove_view,
    consent_record_view,
    customer_create_view,
    customer_edit_view,
    identity_add_view,
    identity_remove_view,
)
from amiable.customers.views.merge import (
    customer_duplicates_view,
    customer_merge_undo_view,
    customer_merge_view,
)
from amiable.customers.views.pages import customer_detail_view, customer_list_view

__all__ = [
    "address_add_view",
    "address_edit_view",
    "address_remove_view",
    "consent_record_view",
    "customer_create_view",
    "customer_detail_view",
    "customer_duplicates_view",
    "customer_edit_view",
    "customer_list_view",
    "customer_merge_undo_view",
    "customer_merge_view",
    "identity_add_view",
    "identity_remove_view",
]
