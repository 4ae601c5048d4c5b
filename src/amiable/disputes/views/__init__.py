"""Views of the disputes app."""

from amiable.disputes.views.case_panels import (
    case_cost_add_view,
    dispute_dates_view,
    dispute_mediator_info_view,
    dispute_proposal_add_view,
    dispute_proposal_answer_view,
    dispute_start_view,
)
from amiable.disputes.views.pages import (
    cost_report_view,
    deadline_list_view,
    dispute_list_view,
)

__all__ = [
    "case_cost_add_view",
    "cost_report_view",
    "deadline_list_view",
    "dispute_dates_view",
    "dispute_list_view",
    "dispute_mediator_info_view",
    "dispute_proposal_add_view",
    "dispute_proposal_answer_view",
    "dispute_start_view",
]
