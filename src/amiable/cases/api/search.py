"""``GET /api/v1/search``: the global search of the page header, for integrations."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from amiable.api.auth import actor_of
from amiable.api.schemas import ErrorOut
from amiable.cases.search_schemas import SearchOut, SearchQuery
from amiable.cases.selectors import global_search
from amiable.core.access import STAFF, access

router = Router()


@router.get(
    "/search",
    response={200: SearchOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Search cases, orders and customers",
)
@access(STAFF)
def global_search_api(request: HttpRequest, params: Query[SearchQuery]) -> SearchOut:
    """Cases by reference, orders by number, customers by email, phone (any
    spelling) or name, and the cases of the customer owning that email or phone;
    grouped by kind, only what the caller may see. An empty ``q`` finds nothing."""
    results = global_search(actor=actor_of(request), text=params.q)
    return SearchOut.model_validate(
        {
            "q": results.text,
            "cases": results.cases,
            "orders": results.orders,
            "customers": results.customers,
        },
        from_attributes=True,
    )
