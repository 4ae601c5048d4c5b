"""Scoped reads of cases, re-exported from one module per concern."""

from amiable.cases.selectors.cases import (
    DEFAULT_SORT,
    DETAIL_RELATED,
    SORTS,
    CaseFilters,
    case_counts_by_status,
    case_get,
    case_get_by_reference,
    case_get_opened,
    case_list,
    case_visible_queryset,
    saved_view_list,
)
from amiable.cases.selectors.costs import CaseCostSummary, case_cost_summary
from amiable.cases.selectors.customer_360 import (
    ChannelContact,
    Customer360,
    OrderTotal,
    customer_360,
)
from amiable.cases.selectors.queues import (
    AgentLoad,
    case_quality_queue,
    case_supervisor_queue,
    quality_queue_count,
    supervisor_queue_count,
    team_workload,
    workload_teams,
)
from amiable.cases.selectors.sla import (
    LadderStep,
    case_escalation_list,
    case_ladder,
    case_sla_clocks,
    category_list,
    root_cause_list,
    sla_policy_list,
)

__all__ = [
    "DEFAULT_SORT",
    "DETAIL_RELATED",
    "SORTS",
    "AgentLoad",
    "CaseCostSummary",
    "CaseFilters",
    "ChannelContact",
    "Customer360",
    "LadderStep",
    "OrderTotal",
    "case_cost_summary",
    "case_counts_by_status",
    "case_escalation_list",
    "case_get",
    "case_get_by_reference",
    "case_get_opened",
    "case_ladder",
    "case_list",
    "case_quality_queue",
    "case_sla_clocks",
    "case_supervisor_queue",
    "case_visible_queryset",
    "category_list",
    "customer_360",
    "quality_queue_count",
    "root_cause_list",
    "saved_view_list",
    "sla_policy_list",
    "supervisor_queue_count",
    "team_workload",
    "workload_teams",
]
