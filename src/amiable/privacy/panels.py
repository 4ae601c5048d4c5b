"""The « Personal data » panel of the staff customer page and of the portal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amiable.accounts.models import User
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register
from amiable.customers.models import Customer
from amiable.privacy.models import DataRequest
from amiable.privacy.permissions import (
    can_erase_personal_data,
    can_export_personal_data,
)
from amiable.privacy.selectors import customer_exports

PANEL_ROWS = 5


def _staff(panel: PanelRequest) -> Mapping[str, Any] | None:
    actor = panel.actor
    customer = panel.subject
    if not isinstance(actor, User) or not isinstance(customer, Customer):
        return None
    if not can_export_personal_data(actor):
        return None
    requests = list(
        DataRequest.objects.filter(customer=customer)
        .select_related("requested_by")
        .order_by("-requested_at", "-id")[:PANEL_ROWS]
    )
    return {
        "customer": customer,
        "data_requests": requests,
        "can_erase": can_erase_personal_data(actor),
    }


def _portal(panel: PanelRequest) -> Mapping[str, Any] | None:
    customer = panel.subject
    if panel.actor is not None or not isinstance(customer, Customer):
        return None
    return {"exports": list(customer_exports(customer=customer)[:PANEL_ROWS])}


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CUSTOMER_ASIDE,
            name="privacy.customer",
            template="privacy/panels/customer.html",
            context=_staff,
            order=90,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.PORTAL_HOME,
            name="privacy.portal_home",
            template="privacy/panels/portal_home.html",
            context=_portal,
            order=90,
        )
    )
