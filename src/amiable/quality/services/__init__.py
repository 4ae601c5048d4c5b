"""Quality services: every write of the quality app."""

from amiable.quality.services.case_resolution import (
    case_reopen_by_customer,
    case_resolve_with,
)
from amiable.quality.services.confirmations import (
    confirmation_answer,
    confirmation_request,
    confirmations_supersede,
)
from amiable.quality.services.incidents import (
    incident_bulk_run,
    incident_create,
    incident_link_cases,
    incident_reply_all,
    incident_resolve_all,
    incident_unlink_case,
    incident_update,
)
from amiable.quality.services.problems import (
    problem_link_case,
    problem_open,
    problem_update,
)
from amiable.quality.services.recurrence import recurrence_check, recurrence_scan
from amiable.quality.services.settings import quality_settings_get

__all__ = [
    "case_reopen_by_customer",
    "case_resolve_with",
    "confirmation_answer",
    "confirmation_request",
    "confirmations_supersede",
    "incident_bulk_run",
    "incident_create",
    "incident_link_cases",
    "incident_reply_all",
    "incident_resolve_all",
    "incident_unlink_case",
    "incident_update",
    "problem_link_case",
    "problem_open",
    "problem_update",
    "quality_settings_get",
    "recurrence_check",
    "recurrence_scan",
]
