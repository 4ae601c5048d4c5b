"""Page panels: sections that other apps add to a page they do not own.

The case page, the customer page and the customer portal belong to lower apps that
must not import the apps built on them (promises, gestures, disputes…). Those apps
register a panel instead, in their ``AppConfig.ready``::

    panel_register(Panel(
        slot=PanelSlot.CASE_MAIN,
        name="promises.case",
        template="promises/panels/case.html",
        context=promise_case_panel_context,   # (PanelRequest) -> dict | None
        order=20,
    ))

The page's template renders every panel of a slot with ``{% render_panels slot obj %}``
(``amiable.web.templatetags.amiable_web``). The context function reads through the
app's own selectors, scoped by ``panel_request.actor``, and returns None to show
nothing. Each panel costs its own queries: keep them few and fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.http import HttpRequest


class PanelSlot(StrEnum):
    CASE_MAIN = "case.main"  # in the case workspace, after the timeline and actions
    CASE_ASIDE = "case.aside"  # beside the case, under the customer 360
    CASE_COMPOSER = "case.composer"  # tools inside the case's reply form (macros)
    CUSTOMER_MAIN = "customer.main"  # on the staff customer page
    CUSTOMER_ASIDE = "customer.aside"  # beside the staff customer page
    PORTAL_HOME = "portal.home"  # the customer's portal home page
    PORTAL_CASE = "portal.case"  # a case seen by its customer
    PORTAL_ORDER = "portal.order"  # an order seen by its customer


@dataclass(frozen=True)
class PanelRequest:
    request: HttpRequest
    subject: Any  # the page's object: a Case, a Customer, an Order
    actor: Any  # the staff User; None on the customer portal


PanelContext = Callable[[PanelRequest], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    slot: PanelSlot
    name: str  # unique: "<app>.<page>"
    template: str
    context: PanelContext
    order: int = 100


_PANELS: dict[str, Panel] = {}


def panel_register(panel: Panel) -> None:
    """Add (or replace, by name) a panel."""
    _PANELS[panel.name] = panel


def panel_unregister(name: str) -> None:
    _PANELS.pop(name, None)


def panels_for(slot: PanelSlot | str) -> list[Panel]:
    """The panels of ``slot``, by order then name."""
    return sorted(
        (panel for panel in _PANELS.values() if panel.slot == slot),
        key=lambda panel: (panel.order, panel.name),
    )
