"""The cases panels of the staff customer page (``amiable.core.panels``): the
customer's cases, and the customer 360 summary beside the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amiable.cases.selectors import (
    CaseFilters,
    case_list,
    case_merge_candidates,
    case_merge_state,
    case_timeline,
    customer_360,
)
from amiable.conversations.models import Channel
from amiable.core.pagination import paginate_or_first
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register

CASES_PAGE_SIZE = 10


def customer_cases_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    """One keyset page of the customer's cases the actor may see (``cases_cursor``)."""
    if panel.actor is None:
        return None
    page, error = paginate_or_first(
        case_list(actor=panel.actor, filters=CaseFilters(customer_id=panel.subject.pk)),
        ordering=("-opened_at", "-id"),
        limit=CASES_PAGE_SIZE,
        cursor=panel.request.GET.get("cases_cursor"),
    )
    return {"cases": page, "page_error": error}


def customer_360_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    if panel.actor is None:
        return None
    return {"summary": customer_360(actor=panel.actor, customer=panel.subject)}


def case_merging_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    """Merging the case into another of the customer's, or splitting it; nothing
    for a case already merged."""
    if panel.actor is None:
        return None
    state = case_merge_state(actor=panel.actor, case=panel.subject)
    if state.merged_into is not None:
        return None
    return {
        "case": panel.subject,
        "candidates": case_merge_candidates(actor=panel.actor, case=panel.subject),
        # The page's timeline (read once per page), without its system lines.
        "messages_to_split": [
            row
            for row in case_timeline(actor=panel.actor, case=panel.subject)
            if row.channel != Channel.SYSTEM
        ],
    }


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CUSTOMER_MAIN,
            name="cases.customer_cases",
            template="cases/panels/customer_cases.html",
            context=customer_cases_panel_context,
            order=6,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.CUSTOMER_ASIDE,
            name="cases.customer_360",
            template="cases/panels/customer_360.html",
            context=customer_360_panel_context,
            order=10,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.CASE_MAIN,
            name="cases.merging",
            template="cases/panels/merging.html",
            context=case_merging_panel_context,
            order=90,
        )
    )
