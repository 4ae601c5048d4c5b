"""Promise services: making promises, their life (at risk, kept, broken,
renegotiated, cancelled), the evidence that keeps them, warnings and the scan."""

from amiable.promises.services.evidence import (
    kind_of_rule,
    promise_from_legal_deadline,
    promise_from_order,
    promises_flag_carrier_exception,
    promises_follow_legal_deadline_change,
    promises_follow_order_status,
    promises_keep_by_contact,
    promises_keep_by_delivery,
    promises_keep_by_legal_deadline_met,
    promises_keep_by_refund,
    promises_note_carrier,
)
from amiable.promises.services.ledger import promise_make, promise_record_automatic
from amiable.promises.services.lifecycle import (
    promise_break,
    promise_cancel,
    promise_fulfil,
    promise_keep,
    promise_mark_at_risk,
    promise_renegotiate,
    promise_reschedule_by_rule,
)
from amiable.promises.services.policies import warning_policy_save
from amiable.promises.services.scanning import ScanSummary, promise_scan
from amiable.promises.services.warnings import policy_for, promise_warn

__all__ = [
    "ScanSummary",
    "kind_of_rule",
    "policy_for",
    "promise_break",
    "promise_cancel",
    "promise_from_legal_deadline",
    "promise_from_order",
    "promise_fulfil",
    "promise_keep",
    "promise_make",
    "promise_mark_at_risk",
    "promise_record_automatic",
    "promise_renegotiate",
    "promise_reschedule_by_rule",
    "promise_scan",
    "promise_warn",
    "promises_flag_carrier_exception",
    "promises_follow_legal_deadline_change",
    "promises_follow_order_status",
    "promises_keep_by_contact",
    "promises_keep_by_delivery",
    "promises_keep_by_legal_deadline_met",
    "promises_keep_by_refund",
    "promises_note_carrier",
    "warning_policy_save",
]
