"""Web views of cases: the inbox and the case page."""

from amiable.cases.views.bulk import case_bulk_view
from amiable.cases.views.classification import (
    case_classify_view,
    custom_field_edit_view,
    custom_field_list_view,
)
from amiable.cases.views.composer import (
    case_forward_view,
    case_reply_draft_view,
    case_reply_preview_view,
)
from amiable.cases.views.detail import (
    case_assign_view,
    case_call_view,
    case_detail_view,
    case_escalate_view,
    case_note_view,
    case_reply_view,
    case_resolve_view,
    case_status_view,
)
from amiable.cases.views.inbox import (
    case_inbox_counts_view,
    case_inbox_view,
    saved_view_delete_view,
    saved_view_save_view,
)
from amiable.cases.views.intake import case_create_view, case_customer_lookup_view
from amiable.cases.views.live import (
    case_inbox_changes_view,
    case_live_view,
    case_mark_read_view,
    case_presence_view,
)
from amiable.cases.views.merging import (
    case_merge_undo_view,
    case_merge_view,
    case_split_view,
)
from amiable.cases.views.queues import (
    case_quality_queue_view,
    case_supervisor_queue_view,
    case_workload_view,
)
from amiable.cases.views.search import global_search_view

__all__ = [
    "case_inbox_changes_view",
    "case_live_view",
    "case_mark_read_view",
    "case_presence_view",
    "case_assign_view",
    "case_bulk_view",
    "case_escalate_view",
    "case_quality_queue_view",
    "case_resolve_view",
    "case_supervisor_queue_view",
    "case_workload_view",
    "case_call_view",
    "case_classify_view",
    "custom_field_edit_view",
    "custom_field_list_view",
    "case_create_view",
    "case_customer_lookup_view",
    "case_detail_view",
    "case_forward_view",
    "case_reply_draft_view",
    "case_inbox_counts_view",
    "case_inbox_view",
    "case_merge_undo_view",
    "case_merge_view",
    "case_note_view",
    "case_reply_preview_view",
    "case_reply_view",
    "case_split_view",
    "case_status_view",
    "global_search_view",
    "saved_view_delete_view",
    "saved_view_save_view",
]
