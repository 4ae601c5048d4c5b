"""Scoped reads of the quality app."""

from amiable.quality.selectors.confirmations import (
    CaseLinks,
    ConfirmationFilters,
    ConfirmationLink,
    case_links,
    confirmation_from_token,
    confirmation_list,
    confirmations_for_case,
)
from amiable.quality.selectors.fcr import (
    FcrDimension,
    FcrFilters,
    FcrReport,
    FcrRow,
    fcr_report,
)
from amiable.quality.selectors.incidents import (
    IncidentFilters,
    incident_action_get,
    incident_actions,
    incident_case_count,
    incident_cases,
    incident_get,
    incident_list,
)
from amiable.quality.selectors.problems import (
    ProblemCases,
    ProblemFilters,
    problem_cases,
    problem_get,
    problem_list,
    root_cause_get,
    staff_user_get,
)

__all__ = [
    "CaseLinks",
    "case_links",
    "ConfirmationFilters",
    "ConfirmationLink",
    "FcrDimension",
    "FcrFilters",
    "FcrReport",
    "FcrRow",
    "IncidentFilters",
    "ProblemCases",
    "ProblemFilters",
    "confirmation_from_token",
    "confirmation_list",
    "confirmations_for_case",
    "fcr_report",
    "incident_action_get",
    "incident_actions",
    "incident_case_count",
    "incident_cases",
    "incident_get",
    "incident_list",
    "problem_cases",
    "problem_get",
    "problem_list",
    "root_cause_get",
    "staff_user_get",
]
