"""The quality panel of the case page (``amiable.core.panels``): the customer's
confirmation, the problem and the incident the case belongs to."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from amiable.cases.models import Case
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register
from amiable.quality.forms import CaseIncidentForm
from amiable.quality.models import IncidentCase, ProblemCase
from amiable.quality.selectors import confirmations_for_case


def case_panel_context(
    panel: PanelRequest, bound: Mapping[str, forms.Form] | None = None
) -> dict[str, Any] | None:
    """Four queries: confirmations, problem, incident, open incidents to link to."""
    if panel.actor is None:
        return None
    case: Case = panel.subject
    incident_link = (
        IncidentCase.objects.filter(case=case).select_related("incident").first()
    )
    return {
        "case": case,
        "confirmations": confirmations_for_case(actor=panel.actor, case=case),
        "problem_link": ProblemCase.objects.filter(case=case)
        .select_related("problem")
        .first(),
        "incident_link": incident_link,
        "incident_form": None
        if incident_link is not None
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
