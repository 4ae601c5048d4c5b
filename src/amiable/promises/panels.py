"""The promise panels of pages owned by other apps (``amiable.core.panels``): the
case page (the promises of the case and the "make a promise" form), the customer
page, and the customer portal's home, case and order pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register
from amiable.promises.presentation import case_panel_context
from amiable.promises.selectors import (
    portal_promise_list,
    promise_list_customer_overview,
    promise_list_for_customer,
)


def _case_panel(panel: PanelRequest) -> Mapping[str, Any] | None:
    if panel.actor is None:
        return None
    return case_panel_context(actor=panel.actor, case=panel.subject)


def _customer_panel(panel: PanelRequest) -> Mapping[str, Any] | None:
    if panel.actor is None:
        return None
    return {
        "promises": promise_list_for_customer(
            actor=panel.actor, customer_id=panel.subject.pk
        )
    }


def _customer_overview(panel: PanelRequest) -> Mapping[str, Any] | None:
    """Beside a case: the customer's live promises on their other cases, whichever
    team owns them (read-only where the agent's team does not)."""
    if panel.actor is None:
        return None
    rows = promise_list_customer_overview(
        actor=panel.actor,
        customer_id=panel.subject.customer_id,
        exclude_case_id=panel.subject.pk,
    )
    return {"rows": rows} if rows else None


def _portal_home(panel: PanelRequest) -> Mapping[str, Any] | None:
    if panel.actor is not None:
        return None
    promises = [p for p in portal_promise_list(customer=panel.subject) if p.is_live]
    return {"promises": promises[:5]}


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CASE_ASIDE,
            name="promises.case",
            template="promises/panels/case.html",
            context=_case_panel,
            order=5,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.CASE_ASIDE,
            name="promises.customer_overview",
            template="promises/panels/customer_overview.html",
            context=_customer_overview,
            order=40,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.CUSTOMER_MAIN,
            name="promises.customer",
            template="promises/panels/customer.html",
            context=_customer_panel,
            order=20,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.PORTAL_HOME,
            name="promises.portal_home",
            template="promises/panels/portal_home.html",
            context=_portal_home,
            order=20,
        )
    )
