"""The gestures panels of pages owned by other apps (``amiable.core.panels``): the
case page (gestures of the case and the proposal form), the customer page, and the
customer portal (applied gestures of the customer's own case, nothing internal)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from operator import attrgetter
from typing import Any

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.commerce.models import OrderLine
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register
from amiable.customers.models import Customer
from amiable.gestures.selectors import (
    gesture_list,
    gesture_list_customer_overview,
    gesture_list_for_case,
    gesture_list_for_portal,
    gesture_type_list_active,
)

CUSTOMER_PANEL_SIZE = 20
CASE_PANEL_RELATED = ("gesture_type", "reason", "requested_by")


def case_order_lines(case: Case) -> list[OrderLine]:
    """The lines of the case's orders, for gestures that need one (one query)."""
    return list(
        OrderLine.objects.filter(order__cases=case)
        .select_related("order", "product")
        .order_by("order__placed_at", "id")
    )


def proposal_context(actor: User, case: Case, form: Any = None) -> dict[str, Any]:
    """What the case panel needs: the case's gestures and the proposal form."""
    from amiable.gestures.forms import GestureProposalForm

    types = gesture_type_list_active(actor=actor)
    if form is None and types:  # no type, no form shown: its order lines unread
        form = GestureProposalForm(
            types=types,
            lines=case_order_lines(case),
            initial={"idempotency_key": uuid.uuid4().hex},
        )
    gestures = sorted(
        gesture_list_for_case(actor=actor, case=case)
        # What the panel shows of each (the case is the page's, not joined again),
        # sorted here: the ORM does not match the joined columns to an ORDER BY.
        .select_related(*CASE_PANEL_RELATED)
        .order_by(),
        key=attrgetter("requested_at", "pk"),
    )
    for gesture in gestures:
        gesture.case = case
    return {
        "case": case,
        "gestures": gestures,
        "gesture_form": form,
        "gesture_types": types,
    }


def case_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    if not isinstance(panel.actor, User) or not isinstance(panel.subject, Case):
        return None
    return proposal_context(panel.actor, panel.subject)


def customer_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    if not isinstance(panel.actor, User) or not isinstance(panel.subject, Customer):
        return None
    gestures = gesture_list(actor=panel.actor, customer_id=panel.subject.pk)
    return {"gestures": list(gestures[:CUSTOMER_PANEL_SIZE])}


def customer_overview_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    """Beside a case: the customer's gestures on their other cases, whichever team
    owns them (read-only where the agent's team does not)."""
    if not isinstance(panel.actor, User) or not isinstance(panel.subject, Case):
        return None
    rows = gesture_list_customer_overview(
        actor=panel.actor,
        customer_id=panel.subject.customer_id,
        exclude_case_id=panel.subject.pk,
    )
    return {"rows": rows} if rows else None


def portal_case_panel_context(panel: PanelRequest) -> Mapping[str, Any] | None:
    """On the portal the viewer is the customer (``actor`` is None) and the
    subject their own case: only what was applied, no note, no name, no status."""
    if panel.actor is not None or not isinstance(panel.subject, Case):
        return None
    gestures = gesture_list_for_portal(case_id=panel.subject.pk)
    if not gestures:
        return None
    return {"gestures": gestures}


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CASE_MAIN,
            name="gestures.case",
            template="gestures/panels/case.html",
            context=case_panel_context,
            order=30,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.CASE_ASIDE,
            name="gestures.customer_overview",
            template="gestures/panels/customer_overview.html",
            context=customer_overview_context,
            order=45,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.CUSTOMER_MAIN,
            name="gestures.customer",
            template="gestures/panels/customer.html",
            context=customer_panel_context,
            order=30,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.PORTAL_CASE,
            name="gestures.portal_case",
            template="gestures/panels/portal_case.html",
            context=portal_case_panel_context,
            order=30,
        )
    )
