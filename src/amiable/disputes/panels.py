"""The dispute and cost panels of the case page (``amiable.core.panels``).

The dispute panel shows only on cases of kind dispute (no query otherwise); the
cost panel on every case. Both read the case's cost summary once per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseKind, CostKind
from amiable.cases.selectors import CaseCostSummary, case_cost_summary
from amiable.core.clock import now
from amiable.core.money import Money
from amiable.core.panels import Panel, PanelRequest, PanelSlot, panel_register
from amiable.disputes.deadlines import ComputedDeadline, DeadlineState
from amiable.disputes.forms import (
    CostForm,
    DisputeDatesForm,
    DisputeStartForm,
    MediatorInfoForm,
    ProposalForm,
)
from amiable.disputes.models import Dispute, ProposalResponse
from amiable.disputes.rules import Bearer
from amiable.disputes.selectors import deadlines_of, dispute_for_case

STATE_LABELS: dict[str, tuple[StrOrPromise, str]] = {
    DeadlineState.RUNNING: (_("Running"), "open"),
    DeadlineState.MET: (_("Met"), "success"),
    DeadlineState.OVERDUE: (_("Overdue"), "danger"),
    DeadlineState.ENDED: (_("Ended"), "closed"),
    DeadlineState.SUSPENDED: (_("Suspended"), "waiting_customer"),
}
BEARER_LABELS: dict[str, StrOrPromise] = {
    Bearer.CONSUMER: _("The customer"),
    Bearer.PROFESSIONAL: _("Us"),
    Bearer.MEDIATOR: _("The mediator"),
    Bearer.PARTIES: _("Both parties"),
    Bearer.LIMITATION: _("Limitation period"),
}
COSTS_ATTRIBUTE = "_amiable_case_costs"


@dataclass(frozen=True)
class DeadlineRow:
    deadline: ComputedDeadline
    state: str
    state_label: StrOrPromise
    state_class: str
    bearer_label: StrOrPromise


def cost_summary_for(request: HttpRequest, actor: User, case: Case) -> CaseCostSummary:
    """The case's cost summary, computed once per request (two queries)."""
    cache: dict[int, CaseCostSummary] = getattr(request, COSTS_ATTRIBUTE, {})
    if case.pk not in cache:
        cache[case.pk] = case_cost_summary(actor=actor, case=case)
        setattr(request, COSTS_ATTRIBUTE, cache)
    return cache[case.pk]


def deadline_rows(dispute: Dispute) -> list[DeadlineRow]:
    moment = now()
    rows = []
    for item in deadlines_of(dispute):
        state = item.state(moment)
        label, css = STATE_LABELS[state]
        rows.append(
            DeadlineRow(item, str(state), label, css, BEARER_LABELS[item.rule.bearer])
        )
    return rows


def _dates_initial(dispute: Dispute) -> dict[str, Any]:
    names = [name for name in DisputeDatesForm.base_fields if name != "mediator"]
    initial = {name: getattr(dispute, name) for name in names}
    initial["mediator"] = dispute.mediator_id
    return initial


def dispute_panel_context(
    panel: PanelRequest, bound: Mapping[str, forms.Form] | None = None
) -> dict[str, Any] | None:
    case: Case = panel.subject
    if panel.actor is None or case.kind != CaseKind.DISPUTE:
        return None
    dispute = dispute_for_case(actor=panel.actor, case=case)
    context: dict[str, Any] = {
        "case": case,
        "dispute": dispute,
        "costs": cost_summary_for(panel.request, panel.actor, case),
    }
    if dispute is None:
        context["start_form"] = DisputeStartForm(
            initial={"written_complaint_at": timezone.localtime(case.opened_at)},
            auto_id="dispute_start_%s",
        )
    else:
        version = {"version": dispute.version}
        context.update(
            deadline_rows=deadline_rows(dispute),
            proposals=list(dispute.proposals.all()),
            pending=ProposalResponse.PENDING,
            dates_form=DisputeDatesForm(
                initial=_dates_initial(dispute), auto_id="dispute_dates_%s"
            ),
            info_form=MediatorInfoForm(
                initial=version | {"mediator": dispute.mediator_id},
                auto_id="dispute_info_%s",
            ),
            proposal_form=ProposalForm(
                initial=version | {"proposed_at": timezone.localtime(now())},
                auto_id="dispute_proposal_%s",
            ),
        )
    context.update(bound or {})
    return context


@dataclass(frozen=True)
class CostLine:
    kind: str
    label: StrOrPromise
    count: int
    totals: list[Money]


def cost_lines(summary: CaseCostSummary) -> list[CostLine]:
    """One line per cost kind (zero included, so the panel always reads the same)."""
    lines = []
    for kind, label in CostKind.choices:
        sums: dict[str, Decimal] = {}
        count = 0
        for entry in summary.entries:
            if entry.kind == kind:
                count += 1
                sums[entry.currency] = (
                    sums.get(entry.currency, Decimal(0)) + entry.amount
                )
        totals = [Money(amount, code) for code, amount in sorted(sums.items())]
        lines.append(CostLine(kind, label, count, totals))
    return lines


def cost_panel_context(
    panel: PanelRequest, bound: Mapping[str, forms.Form] | None = None
) -> dict[str, Any] | None:
    if panel.actor is None:
        return None
    case: Case = panel.subject
    return {
        "case": case,
        "costs": (costs := cost_summary_for(panel.request, panel.actor, case)),
        "cost_lines": cost_lines(costs),
        "cost_form": CostForm(
            initial={"currency": "EUR", "incurred_on": timezone.localdate()},
            auto_id="cost_%s",
        ),
    } | dict(bound or {})


def panels_register() -> None:
    panel_register(
        Panel(
            slot=PanelSlot.CASE_MAIN,
            name="disputes.case",
            template="disputes/panels/dispute.html",
            context=dispute_panel_context,
            order=30,
        )
    )
    panel_register(
        Panel(
            slot=PanelSlot.CASE_ASIDE,
            name="disputes.costs",
            template="disputes/panels/costs.html",
            context=cost_panel_context,
            order=20,
        )
    )
