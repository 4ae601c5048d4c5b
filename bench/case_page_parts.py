"""Where the case page's time goes beyond its floor: the view's context and each
panel's context function, timed alone (p50 ms), so the gap ``ours - page floor``
can be read part by part."""

from __future__ import annotations

import copy
from typing import Any

from django.http import HttpRequest

from amiable.accounts.models import User
from amiable.core.panels import PanelRequest, PanelSlot, panels_for
from bench.timing import describe, sample

SLOTS = (PanelSlot.CASE_MAIN, PanelSlot.CASE_ASIDE, PanelSlot.CASE_COMPOSER)


def case_page_parts(
    *, agent: User, case_id: int, request: HttpRequest, samples: int
) -> dict[str, Any]:
    """p50 ms of each part of the view that the page floor does not redo per call."""
    from amiable.cases.selectors import case_timeline, customer_360
    from amiable.cases.views.page_context import action_context as _action_context
    from amiable.web.requests import case_or_404

    def p50(action: Any) -> float:
        return describe(sample(action, samples=samples))["p50_ms"]

    def fresh() -> Any:
        """The case with nothing kept on the instance (timeline, merge state)."""
        return copy.copy(base)

    base = case_or_404(agent, case_id)
    case = fresh()
    case_timeline(actor=agent, case=case)  # as on the page: read before the rest
    parts: dict[str, float] = {
        "case_or_404": p50(lambda: case_or_404(agent, case_id)),
        "action_context (forms, SLA, ladder, pickers, live, tags)": p50(
            lambda: _action_context(agent, case)
        ),
        "timeline (rows with author, attachments; case and customer the page's)": p50(
            lambda: case_timeline(actor=agent, case=fresh())
        ),
        "customer_360": p50(
            lambda: customer_360(
                actor=agent, customer=case.customer, with_open_cases=True
            )
        ),
    }
    for slot in SLOTS:
        for panel in panels_for(slot):
            asked = PanelRequest(request=request, subject=case, actor=agent)
            parts[f"panel {panel.name}"] = p50(
                lambda panel=panel, asked=asked: panel.context(asked)
            )
    return {name: round(value, 2) for name, value in parts.items()}
