"""Case services: opening, assigning, answering and moving cases through their life.

Every function here is the single entry point for its use case (web, API, inbound
channels, imports and tasks all call it). Writes that change a case bump its
``version``; callers that read a version first pass it as ``expected_version`` and get
CaseVersionConflictError (409) when someone else changed the case meanwhile."""

from amiable.cases.services.costs import (
    case_cost_add,
)
from amiable.cases.services.messages import (
    case_add_note,
    case_log_call,
    case_record_inbound,
    case_reply,
)
from amiable.cases.services.opening import (
    case_assign,
    case_link_orders,
    case_open,
    case_update,
)
from amiable.cases.services.saved_views import (
    saved_view_delete,
    saved_view_save,
)
from amiable.cases.services.status import (
    case_change_status,
)

__all__ = [
    "case_add_note",
    "case_assign",
    "case_change_status",
    "case_cost_add",
    "case_link_orders",
    "case_log_call",
    "case_open",
    "case_record_inbound",
    "case_reply",
    "case_update",
    "saved_view_delete",
    "saved_view_save",
]
