"""The macro picker inside the case page's composer (slot ``case.composer``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register


def _picker(panel: PanelRequest) -> Mapping[str, Any] | None:
    # No query: the results come on demand from the picker's own URL.
    if not isinstance(panel.actor, User) or not isinstance(panel.subject, Case):
        return None
    return {"case": panel.subject}


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CASE_COMPOSER,
            name="macros.picker",
            template="macros/panels/picker.html",
            context=_picker,
            order=10,
        )
    )
