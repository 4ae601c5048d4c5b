"""API of promises: the ledger (list, read, make, renegotiate, keep, cancel), the
realistic due time of a new promise, and the measures for the dashboards
(kept-rate per type, team, agent or carrier; the expectation gap).

Promises on cases the caller may not see answer 404, like ones that do not exist.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router
from ninja.responses import Status

from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, Id, PageOut
from amiable.cases.selectors import case_get
from amiable.commerce.selectors import order_get
from amiable.core.access import STAFF, SUPERVISORS, TEAM, access
from amiable.promises import services
from amiable.promises.measures import Dimension, expectation_gap, kept_rates
from amiable.promises.models import Promise
from amiable.promises.schemas import (
    GapOut,
    GapQuery,
    KeptRateQuery,
    KeptRatesOut,
    PromiseCancelIn,
    PromiseKeepIn,
    PromiseListQuery,
    PromiseMakeIn,
    PromiseOut,
    PromiseRenegotiateIn,
    SuggestionOut,
    SuggestionQuery,
)
from amiable.promises.selectors import PromiseFilters, promise_get, promise_list
from amiable.promises.suggestions import promise_suggest

router = Router()
ERRORS = ERROR_RESPONSES
SORTS: dict[str, tuple[str, ...]] = {
    "due_at": ("due_at", "id"),
    "-due_at": ("-due_at", "-id"),
    "made_at": ("made_at", "id"),
    "-made_at": ("-made_at", "-id"),
}


@router.get("", response={200: PageOut[PromiseOut], **ERRORS})
@access(STAFF)
def promise_list_api(
    request: HttpRequest, params: Query[PromiseListQuery]
) -> dict[str, Any]:
    queryset = promise_list(
        actor=actor_of(request),
        filters=PromiseFilters(
            states=tuple(params.state),
            kinds=tuple(params.kind),
            customer_id=params.customer_id,
            case_id=params.case_id,
            order_id=params.order_id,
            live_only=params.live_only,
        ),
    )
    return page_of(
        queryset, ordering=SORTS[params.sort], limit=params.limit, cursor=params.cursor
    )


@router.post("", response={201: PromiseOut, **ERRORS})
@access(TEAM)
def promise_make_api(request: HttpRequest, payload: PromiseMakeIn) -> Status[Promise]:
    """Promise something on a case. 422 ``confirmation_required`` when the due time
    is sooner than the realistic suggestion (``fields.suggested_due_at``): send
    again with ``is_sooner_confirmed``."""
    actor = actor_of(request)
    case = case_get(actor=actor, case_id=payload.case_id)
    order = (
        order_get(actor=actor, order_id=payload.order_id)
        if payload.order_id is not None
        else None
    )
    promise = services.promise_make(
        actor=actor,
        case=case,
        kind=payload.kind,
        description=payload.description,
        due_at=payload.due_at,
        channel=payload.channel,
        order=order,
        is_sooner_confirmed=payload.is_sooner_confirmed,
    )
    return Status(201, promise)


@router.get("/suggestion", response={200: SuggestionOut, **ERRORS})
@access(STAFF)
def promise_suggestion_api(
    request: HttpRequest, params: Query[SuggestionQuery]
) -> dict[str, Any]:
    """When a new promise of this type is realistically due: the 90th percentile
    of how long past ones took, and the caller's own kept-rate."""
    actor = actor_of(request)
    suggestion = promise_suggest(
        kind=params.kind, carrier=params.carrier, category=params.category, agent=actor
    )
    rate = suggestion.agent_rate
    return {
        "kind": suggestion.kind,
        "carrier": suggestion.carrier,
        "category": suggestion.category,
        "sample_size": suggestion.sample_size,
        "is_from_history": suggestion.is_from_history,
        "duration_hours": suggestion.duration_hours,
        "due_at": suggestion.due_at,
        "agent_kept_rate": (
            {"kept": rate.kept, "broken": rate.broken, "rate": rate.rate}
            if rate is not None
            else None
        ),
    }


@router.get("/measures/kept-rate", response={200: KeptRatesOut, **ERRORS})
@access(SUPERVISORS)
def promise_kept_rate_api(
    request: HttpRequest, params: Query[KeptRateQuery]
) -> dict[str, Any]:
    """Kept-rate ``kept / (kept + broken)`` per type, team, agent or carrier, of the
    promises closed in the period (supervisors and above)."""
    rows = kept_rates(
        actor=actor_of(request),
        by=Dimension(params.by),
        since=params.since,
        until=params.until,
    )
    return {"by": params.by, "rows": [dataclasses.asdict(row) for row in rows]}


@router.get("/measures/expectation-gap", response={200: GapOut, **ERRORS})
@access(SUPERVISORS)
def promise_expectation_gap_api(
    request: HttpRequest, params: Query[GapQuery]
) -> dict[str, Any]:
    """Distribution in days of actual minus promised (negative: early), over the
    fulfilled promises of the period (supervisors and above)."""
    gap = expectation_gap(
        actor=actor_of(request),
        kind=params.kind,
        since=params.since,
        until=params.until,
    )
    return dataclasses.asdict(gap)


@router.get("/{promise_id}", response={200: PromiseOut, **ERRORS})
@access(TEAM)
def promise_get_api(request: HttpRequest, promise_id: Id) -> Promise:
    return promise_get(actor=actor_of(request), promise_id=promise_id)


@router.post("/{promise_id}/renegotiate", response={200: PromiseOut, **ERRORS})
@access(TEAM)
def promise_renegotiate_api(
    request: HttpRequest, promise_id: Id, payload: PromiseRenegotiateIn
) -> Promise:
    """A new due time, a reason, and the customer told (by the agent, or by the
    email this sends with ``is_message_sent``)."""
    actor = actor_of(request)
    promise = promise_get(actor=actor, promise_id=promise_id)
    return services.promise_renegotiate(
        actor=actor, promise=promise, **payload.model_dump()
    )


@router.post("/{promise_id}/keep", response={200: PromiseOut, **ERRORS})
@access(TEAM)
def promise_keep_api(
    request: HttpRequest, promise_id: Id, payload: PromiseKeepIn
) -> Promise:
    actor = actor_of(request)
    promise = promise_get(actor=actor, promise_id=promise_id)
    return services.promise_keep(actor=actor, promise=promise, note=payload.note)


@router.post("/{promise_id}/cancel", response={200: PromiseOut, **ERRORS})
@access(TEAM)
def promise_cancel_api(
    request: HttpRequest, promise_id: Id, payload: PromiseCancelIn
) -> Promise:
    actor = actor_of(request)
    promise = promise_get(actor=actor, promise_id=promise_id)
    return services.promise_cancel(actor=actor, promise=promise, reason=payload.reason)
