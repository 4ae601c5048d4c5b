"""The feedback panels of pages owned by other apps (``amiable.core.panels``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register
from amiable.feedback.selectors import survey_list_for_customer


def customer_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    if panel.actor is None:
        return None
    return {
        "surveys": survey_list_for_customer(
            actor=panel.actor, customer_id=panel.subject.pk
        )
    }


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CUSTOMER_MAIN,
            name="feedback.customer",
            template="feedback/panels/customer.html",
            context=customer_panel_context,
            order=50,
        )
    )
