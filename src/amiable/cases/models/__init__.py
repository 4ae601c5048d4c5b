"""Models of the cases app, one module per concern, re-exported here."""

from amiable.cases.models.case import (
    ESCALATED,
    IS_OPEN,
    OPEN_STATUSES,
    Case,
    CaseKind,
    CasePriority,
    CaseSequence,
    CaseStatus,
    EscalationLevel,
    SlaState,
)
from amiable.cases.models.classification import (
    CaseFieldValue,
    CaseTag,
    CustomField,
    CustomFieldKind,
)
from amiable.cases.models.costs import CaseCost, CostKind
from amiable.cases.models.drafts import ReplyDraft
from amiable.cases.models.escalation import CaseEscalation, EscalationSource
from amiable.cases.models.merging import CaseMerge, CaseMergeKind, CaseMergeSource
from amiable.cases.models.routing import AssignmentMode, RoutingRule, TeamRouting
from amiable.cases.models.saved_views import SavedView
from amiable.cases.models.sla import (
    SlaClock,
    SlaClockState,
    SlaMetric,
    SlaPause,
    SlaPauseReason,
    SlaPolicy,
)
from amiable.cases.models.taxonomy import CaseCategory, RootCause, TaxonomyEntry

__all__ = [
    "ESCALATED",
    "IS_OPEN",
    "OPEN_STATUSES",
    "AssignmentMode",
    "Case",
    "CaseCategory",
    "CaseCost",
    "CaseEscalation",
    "CaseFieldValue",
    "CaseTag",
    "CustomField",
    "CustomFieldKind",
    "CaseKind",
    "CaseMerge",
    "CaseMergeKind",
    "CaseMergeSource",
    "CasePriority",
    "CaseSequence",
    "CaseStatus",
    "CostKind",
    "EscalationLevel",
    "EscalationSource",
    "ReplyDraft",
    "RootCause",
    "RoutingRule",
    "SavedView",
    "SlaClock",
    "SlaClockState",
    "SlaMetric",
    "SlaPause",
    "SlaPauseReason",
    "SlaPolicy",
    "SlaState",
    "TaxonomyEntry",
    "TeamRouting",
]
