"""The quality panel of the case page (``amiable.core.panels``): the customer's
confirmation, the problem and the incident the case belongs to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from amiable.cases.models import Case
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register
from amiable.quality.forms import CaseIncidentForm
from amiable.quality.selectors import case_links, confirmations_for_case


def case_panel_context(
    panel: PanelRequest, bound: Mapping[str, forms.Form] | None = None
) -> dict[str, Any] | None:
    """Three queries: confirmations, the problem and incident of the case (one
    query), the open incidents it may be linked to."""
    if panel.actor is None:
        return None
    case: Case = panel.subject
    links = case_links(case=case)
    return {
        "case": case,
        "confirmations": confirmations_for_case(actor=panel.actor, case=case),
        "links": links,
        "incident_form": None
        if links.incident_id is not None
        else CaseIncidentForm(auto_id="case_incident_%s"),
    } | dict(bound or {})


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CASE_ASIDE,
            name="quality.case",
            template="quality/panels/case.html",
            context=case_panel_context,
            order=30,
        )
    )
