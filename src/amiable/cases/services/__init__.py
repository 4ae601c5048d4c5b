"""Case services: opening, routing, assigning, answering, escalating and moving
cases through their life, and their SLA clocks.

Every function here is the single entry point for its use case (web, API, inbound
channels, imports and tasks all call it). Writes that change a case bump its
``version``; callers that read a version first pass it as ``expected_version`` and get
CaseVersionConflictError (409) when someone else changed the case meanwhile."""

from amiable.cases.custom_values import field_error_key, field_value_clean
from amiable.cases.services.bulk import (
    BULK_MAX_CASES,
    BULK_STATUSES,
    BulkAction,
    BulkKind,
    BulkOutcome,
    BulkOutcomeKind,
    BulkResult,
    BulkTarget,
    bulk_check,
    case_bulk_apply,
)
from amiable.cases.services.classification import (
    TAGS_PER_CASE,
    case_classification,
    case_classify,
    custom_field_save,
    tag_names_clean,
)
from amiable.cases.services.configuration import (
    routing_rule_save,
    sla_policy_save,
    taxonomy_entry_save,
    team_routing_save,
)
from amiable.cases.services.costs import (
    case_cost_add,
)
from amiable.cases.services.drafts import reply_draft_discard, reply_draft_save
from amiable.cases.services.escalation import (
    case_escalate,
    case_involved_user_ids,
)
from amiable.cases.services.forwarding import (
    case_forward,
    case_record_third_party,
    forward_answered,
)
from amiable.cases.services.intake import (
    STAFF_CHANNELS,
    NewCustomerIn,
    case_open_for_contact,
)
from amiable.cases.services.merge_undo import case_merge_undo
from amiable.cases.services.merging import (
    MERGE_MAX_CASES,
    MergeResult,
    case_merge,
    merge_check,
    undo_deadline,
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
from amiable.cases.services.sla_scan import SlaScanResult, sla_scan
from amiable.cases.services.splitting import SplitResult, case_split
from amiable.cases.services.status import (
    case_autoclose_due,
    case_change_status,
    case_resolve,
)

__all__ = [
    "BULK_MAX_CASES",
    "BULK_STATUSES",
    "MERGE_MAX_CASES",
    "STAFF_CHANNELS",
    "TAGS_PER_CASE",
    "BulkAction",
    "BulkKind",
    "BulkOutcome",
    "BulkOutcomeKind",
    "BulkResult",
    "BulkTarget",
    "MergeResult",
    "NewCustomerIn",
    "SlaScanResult",
    "SplitResult",
    "bulk_check",
    "case_bulk_apply",
    "case_classification",
    "case_classify",
    "custom_field_save",
    "field_error_key",
    "field_value_clean",
    "tag_names_clean",
    "case_add_note",
    "case_assign",
    "case_autoclose_due",
    "case_change_status",
    "case_cost_add",
    "case_escalate",
    "case_forward",
    "case_involved_user_ids",
    "case_link_orders",
    "case_log_call",
    "case_merge",
    "case_merge_undo",
    "case_open",
    "case_open_for_contact",
    "case_record_inbound",
    "case_record_third_party",
    "case_reply",
    "case_resolve",
    "case_split",
    "case_update",
    "forward_answered",
    "merge_check",
    "reply_draft_discard",
    "reply_draft_save",
    "routing_rule_save",
    "saved_view_delete",
    "saved_view_save",
    "sla_policy_save",
    "sla_scan",
    "taxonomy_entry_save",
    "team_routing_save",
    "undo_deadline",
]
