"""The commerce panel of the staff customer page (``amiable.core.panels``): the
customer's orders with their lines, shipments and tracking."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amiable.commerce.selectors import order_list, order_with_details
from amiable.core.pagination import paginate_or_first
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register

ORDERS_PAGE_SIZE = 10


def customer_orders_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    """One keyset page of the customer's orders (``orders_cursor``), four queries."""
    if panel.actor is None:
        return None
    page, error = paginate_or_first(
        order_with_details(order_list(actor=panel.actor, customer_id=panel.subject.pk)),
        ordering=("-placed_at", "-id"),
        limit=ORDERS_PAGE_SIZE,
        cursor=panel.request.GET.get("orders_cursor"),
    )
    return {"orders": page, "page_error": error}


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CUSTOMER_MAIN,
            name="commerce.customer_orders",
            template="commerce/panels/customer_orders.html",
            context=customer_orders_panel_context,
            order=5,
        )
    )
