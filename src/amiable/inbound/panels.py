"""The inbound panels of pages owned by other apps (``amiable.core.panels``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amiable.conversations.models import Channel
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register
from amiable.inbound.selectors import review_list_for_case


def case_reviews_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    # Reviews open cases on the review channel: other cases cost no query.
    if panel.actor is None or panel.subject.channel != Channel.REVIEW:
        return None
    reviews = review_list_for_case(actor=panel.actor, case=panel.subject)
    if not reviews:
        return None
    return {"reviews": reviews}


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CASE_MAIN,
            name="inbound.case_reviews",
            template="inbound/panels/case_reviews.html",
            context=case_reviews_panel_context,
            order=30,
        )
    )
