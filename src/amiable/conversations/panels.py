"""The conversations panel of the staff customer page (``amiable.core.panels``):
every interaction with the customer, newest first."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amiable.conversations.selectors import interaction_list
from amiable.core.pagination import paginate_or_first
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register

TIMELINE_PAGE_SIZE = 20


def customer_timeline_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    """One keyset page of the customer's timeline (``interactions_cursor``)."""
    if panel.actor is None:
        return None
    page, error = paginate_or_first(
        interaction_list(actor=panel.actor, customer_id=panel.subject.pk),
        ordering=("-occurred_at", "-id"),
        limit=TIMELINE_PAGE_SIZE,
        cursor=panel.request.GET.get("interactions_cursor"),
    )
    return {"interactions": page, "page_error": error}


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CUSTOMER_MAIN,
            name="conversations.customer_timeline",
            template="conversations/panels/customer_timeline.html",
            context=customer_timeline_panel_context,
            order=7,
        )
    )
