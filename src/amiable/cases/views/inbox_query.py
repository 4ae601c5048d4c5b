"""Reading the inbox's query string: a named view, the filters that refine it,
the sort and the cursor; and writing the same filters back as one canonical query.

A request without any filter opens the default view (« my unsolved »). ``view=x``
starts from view x's filters; every filter present in the query (even empty,
meaning « any ») replaces the view's. A query of filters alone (a saved view of
before views existed, a link) is exactly those filters over every case."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.http import QueryDict

from amiable.accounts.models import User
from amiable.cases.custom_values import field_filter_value
from amiable.cases.forms import InboxFilterForm
from amiable.cases.selectors import (
    DEFAULT_SORT,
    DEFAULT_VIEW,
    CaseFilters,
    custom_field_list,
    inbox_view_filters,
    inbox_view_matching,
)

# Form field -> CaseFilters attribute.
FILTER_FIELDS = {
    "status": "statuses",
    "kind": "kinds",
    "priority": "priorities",
    "team": "team_id",
    "assignee": "assignee",
    "sla": "sla_states",
    "escalation": "escalation_levels",
    "q": "text",
    "tag": "tag",
    "field": "field_key",
    "field_value": "field_value",
}
FILTER_PARAMS = (*FILTER_FIELDS, "sort", "view")


@dataclass(frozen=True)
class InboxQuery:
    filters: CaseFilters
    sort: str
    cursor: str | None
    view: str  # the view these filters are ("" when custom)
    query_string: str  # the canonical filters and sort, without the cursor


def _value(field: str, data: dict[str, Any]) -> Any:
    value = data.get(field)
    if field in {"status", "kind", "priority", "sla", "escalation"}:
        return tuple(value or ())
    if field == "team":
        return value
    return value or ""


def inbox_query(
    params: QueryDict, *, actor: User
) -> tuple[InboxQuery, InboxFilterForm]:
    """Parse the inbox's parameters; invalid ones are reported (on the form) and
    ignored, empty ones mean « any »."""
    form = InboxFilterForm(params)
    form.is_valid()
    data: dict[str, Any] = form.cleaned_data
    explicit = [
        field for field in FILTER_FIELDS if field in params and field not in form.errors
    ]
    view = data.get("view") or ""
    if not view and not any(name in params for name in FILTER_PARAMS):
        view = DEFAULT_VIEW
    filters = inbox_view_filters(actor=actor, view=view) if view else CaseFilters()
    filters = replace(
        filters, **{FILTER_FIELDS[field]: _value(field, data) for field in explicit}
    )
    if filters.field_key and filters.field_value:
        definition = custom_field_list(actor=actor).filter(key=filters.field_key)
        filters = replace(
            filters,
            field_value=field_filter_value(definition.first(), filters.field_value),
        )
    sort = data.get("sort") or DEFAULT_SORT
    matching = inbox_view_matching(actor=actor, filters=filters)
    return (
        InboxQuery(
            filters=filters,
            sort=sort,
            cursor=data.get("cursor") or None,
            view=matching,
            query_string=canonical_query(
                filters, sort, view="" if filters.text else matching
            ),
        ),
        form,
    )


def canonical_query(
    filters: CaseFilters, sort: str = DEFAULT_SORT, *, view: str = ""
) -> str:
    """The query string of these filters: ``view=<name>`` when they are exactly
    that view's, else the filters themselves (no filter at all is ``view=all``,
    so that it does not open the default view)."""
    query = QueryDict(mutable=True)
    if view:
        query["view"] = view
        if sort != DEFAULT_SORT:
            query["sort"] = sort
        return query.urlencode()
    query.setlist("status", list(filters.statuses))
    query.setlist("kind", list(filters.kinds))
    query.setlist("priority", list(filters.priorities))
    if filters.team_id is not None:
        query["team"] = str(filters.team_id)
    if filters.assignee:
        query["assignee"] = filters.assignee
    query.setlist("sla", list(filters.sla_states))
    query.setlist("escalation", [str(level) for level in filters.escalation_levels])
    if filters.text:
        query["q"] = filters.text
    if filters.tag:
        query["tag"] = filters.tag
    if filters.field_key and filters.field_value:
        query["field"] = filters.field_key
        query["field_value"] = filters.field_value
    if sort != DEFAULT_SORT:
        query["sort"] = sort
    for name in [name for name, values in query.lists() if not values]:
        del query[name]
    return query.urlencode() or "view=all"


def selected_values(query: InboxQuery) -> dict[str, Any]:
    """What the filter form shows as chosen: the effective filters, so that
    submitting it unchanged gives the same list."""
    filters = query.filters
    return {
        "status": list(filters.statuses),
        "kind": list(filters.kinds),
        "priority": list(filters.priorities),
        "team": "" if filters.team_id is None else str(filters.team_id),
        "assignee": filters.assignee,
        "sla": list(filters.sla_states),
        "escalation": [str(level) for level in filters.escalation_levels],
        "q": filters.text,
        "tag": filters.tag,
        "field": filters.field_key,
        "field_value": filters.field_value,
        "sort": query.sort,
    }
