"""API schemas of cases: open, read, edit (with optimistic locking) and act on them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import (
    Id,
    InSchema,
    ListQuery,
    PatchSchema,
    QuerySchema,
    Version,
)
from amiable.cases.lifecycle import allowed_next
from amiable.cases.models import (
    AssignmentMode,
    CaseKind,
    CasePriority,
    CaseStatus,
    EscalationLevel,
    SlaState,
)
from amiable.conversations.models import Channel, Direction
from amiable.customers.models import CustomerTier

MAX_BODY_CHARS = 200_000
TagName = Annotated[str, Field(min_length=1, max_length=60)]
FieldKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
FieldInput = Annotated[
    str | int | float, Field(description="text, number, YYYY-MM-DD or a choice")
]
CallOutcome = Literal[
    "answered", "voicemail", "no_answer", "busy", "callback_requested"
]


class RefOut(Schema):
    id: int
    name: str


class AssigneeOut(Schema):
    id: int
    username: str
    display_name: str


class CaseOut(Schema):
    id: int
    reference: str
    customer: RefOut
    subject: str
    kind: str
    category: str
    priority: str
    status: str
    channel: str
    assignee: AssigneeOut | None
    team: RefOut | None
    opened_at: dt.datetime
    first_responded_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    last_activity_at: dt.datetime
    sla_state: str = Field(description="breached, at_risk, on_track, paused or empty")
    sla_due_at: dt.datetime | None = Field(
        description="The earliest due time of the running SLA clocks"
    )
    escalation_level: int = Field(
        description="0 agent, 1 supervisor, 2 quality manager, 3 mediator, 4 legal"
    )
    reopened_count: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    tags: list[str] = Field(description="The case's tags, by name")
    custom_fields: dict[str, str] = Field(
        description="Custom field values by key: numbers as 12.5, dates as "
        "YYYY-MM-DD; a field without a value is absent"
    )

    @staticmethod
    def resolve_tags(obj: Any) -> list[str]:
        return sorted(tag.name for tag in obj.tags.all())

    @staticmethod
    def resolve_custom_fields(obj: Any) -> dict[str, str]:
        if "field_values" in getattr(obj, "_prefetched_objects_cache", {}):
            return {row.field.key: row.value for row in obj.field_values.all()}
        return dict(obj.field_values.values_list("field__key", "value"))


KNOWN_ORDER_IDS = "known_order_ids"


class CaseDetailOut(CaseOut):
    order_ids: list[int]
    allowed_statuses: list[str] = Field(
        description="The statuses this case may move to (its kind's lifecycle)"
    )
    resolution_summary: str
    root_cause_id: int | None
    escalation_owner: AssigneeOut | None

    @staticmethod
    def resolve_order_ids(obj: Any) -> list[int]:
        # A case just opened carries the orders it was linked to (no re-read).
        known = getattr(obj, KNOWN_ORDER_IDS, None)
        if known is not None:
            return sorted(known)
        return sorted(order.pk for order in obj.orders.all())

    @staticmethod
    def resolve_allowed_statuses(obj: Any) -> list[str]:
        return allowed_next(obj.status, obj.kind)


class CaseListQuery(ListQuery):
    q: str = Field("", max_length=200)
    status: list[CaseStatus] = Field(default_factory=list)
    kind: list[CaseKind] = Field(default_factory=list)
    priority: list[CasePriority] = Field(default_factory=list)
    team_id: Id | None = None
    assignee: str = Field("", pattern=r"^(|me|none|[1-9][0-9]{0,17})$")
    customer_id: Id | None = None
    open_only: bool = False
    sla_state: list[Literal["breached", "at_risk", "on_track", "paused"]] = Field(
        default_factory=list
    )
    escalation_level: list[Annotated[int, Field(ge=1, le=4)]] = Field(
        default_factory=list
    )
    tag: str = Field("", max_length=60, description="Cases carrying this tag")
    field: str = Field(
        "", max_length=40, description="A custom field's key (with field_value)"
    )
    field_value: str = Field(
        "", max_length=200, description="The value that field must have"
    )
    sort: Literal[
        "-last_activity_at", "last_activity_at", "-opened_at", "opened_at"
    ] = "-last_activity_at"


class CaseOpenIn(InSchema):
    customer_id: Id
    subject: str = Field(min_length=1, max_length=255)
    kind: CaseKind = CaseKind.QUESTION
    priority: CasePriority = CasePriority.NORMAL
    category: str = Field("", max_length=80)
    channel: Channel = Channel.EMAIL
    team_id: Id | None = None
    assignee_id: Id | None = None
    order_ids: list[Id] = Field(default_factory=list, max_length=100)
    body_text: str = Field("", max_length=MAX_BODY_CHARS)
    body_html: str = Field("", max_length=MAX_BODY_CHARS)
    external_id: str = Field("", max_length=255)
    occurred_at: dt.datetime | None = None
    tags: list[TagName] = Field(default_factory=list, max_length=30)
    custom_fields: dict[FieldKey, FieldInput] = Field(
        default_factory=dict, description="Values by custom field key"
    )


class CaseUpdateIn(PatchSchema):
    """``version`` is the one you read: a stale one gets 409 version_conflict.
    ``tags`` replaces the case's tags; ``custom_fields`` sets the values given
    (null or "" clears one) and leaves the others."""

    version: Version
    subject: str | None = Field(None, min_length=1, max_length=255)
    kind: CaseKind | None = None
    category: str | None = Field(None, max_length=80)
    priority: CasePriority | None = None
    tags: list[TagName] | None = Field(None, max_length=30)
    custom_fields: dict[FieldKey, FieldInput | None] | None = None


class CaseAssignIn(InSchema):
    assignee_id: Id | None
    team_id: Id | None = None
    version: Version | None = None


class CaseStatusIn(InSchema):
    status: CaseStatus
    version: Version | None = None


class CaseReplyIn(InSchema):
    body_text: str = Field(min_length=1, max_length=MAX_BODY_CHARS)
    body_html: str = Field("", max_length=MAX_BODY_CHARS)
    channel: Channel = Channel.EMAIL
    status: CaseStatus | None = None
    version: Version | None = None
    # The latest interaction the client showed: a colleague's reply after it is a
    # 409 (version_conflict) unless ``send_anyway``.
    seen: int | None = Field(None, ge=0)
    send_anyway: bool = False


class CaseNoteIn(InSchema):
    body_text: str = Field(min_length=1, max_length=MAX_BODY_CHARS)


class CaseMessageIn(InSchema):
    """A customer's message on the case, recorded once per (channel, external_id)."""

    channel: Literal[
        Channel.EMAIL,
        Channel.PHONE,
        Channel.SMS,
        Channel.CHAT,
        Channel.SOCIAL,
        Channel.REVIEW,
        Channel.LETTER,
        Channel.PORTAL,
    ] = Channel.EMAIL
    subject: str = Field("", max_length=255)
    body_text: str = Field("", max_length=MAX_BODY_CHARS)
    body_html: str = Field("", max_length=MAX_BODY_CHARS)
    external_id: str = Field("", max_length=255)
    occurred_at: dt.datetime | None = None


class CaseCallIn(InSchema):
    direction: Literal[Direction.INBOUND, Direction.OUTBOUND]
    duration_seconds: int = Field(ge=0, le=24 * 3600)
    outcome: CallOutcome
    notes: str = Field("", max_length=MAX_BODY_CHARS)
    occurred_at: dt.datetime | None = None


class CaseLinkOrdersIn(InSchema):
    order_ids: list[Id] = Field(min_length=1, max_length=100)
    version: Version | None = None


class CaseResolveIn(InSchema):
    """For complaints and disputes, ``category`` (a code) and ``root_cause_id`` are
    required (active entries; a root cause, not a family)."""

    resolution_summary: str = Field(min_length=1, max_length=MAX_BODY_CHARS)
    category: str | None = Field(None, max_length=80)
    root_cause_id: Id | None = None
    version: Version | None = None


class CaseEscalateIn(InSchema):
    level: Literal[1, 2, 3, 4] = Field(
        description="1 supervisor, 2 quality manager, 3 mediator, 4 legal"
    )
    reason: str = Field(min_length=1, max_length=2000)
    owner_id: Id | None = Field(
        None,
        description="Level 2 and above: an impartial quality manager (default: the "
        "least loaded one who never took part in the case)",
    )
    version: Version | None = None


class EscalationOut(Schema):
    id: int
    previous_level: int
    level: int
    level_label: str
    reason: str
    source: str
    escalated_by: AssigneeOut | None
    owner: AssigneeOut | None
    escalated_at: dt.datetime

    @staticmethod
    def resolve_level_label(obj: Any) -> str:
        return str(EscalationLevel(obj.level).label)


class SlaClockOut(Schema):
    metric: str
    state: str = Field(description="running, paused or stopped")
    started_at: dt.datetime
    target_seconds: int = Field(description="Business seconds")
    due_at: dt.datetime | None = Field(description="None while paused")
    risk_at: dt.datetime | None
    at_risk_at: dt.datetime | None
    breached_at: dt.datetime | None
    stopped_at: dt.datetime | None
    elapsed_seconds: int | None = Field(description="Business seconds, once stopped")
    is_met: bool


class CalendarRefOut(Schema):
    id: int
    name: str
    version: int
    time_zone: str


class CaseSlaOut(Schema):
    state: SlaState
    due_at: dt.datetime | None
    policy: RefOut | None
    calendar: CalendarRefOut | None
    clocks: list[SlaClockOut]


class TaxonomyEntryOut(Schema):
    id: int
    code: str
    name_fr: str
    name_en: str
    parent_id: int | None
    is_active: bool


class SlaPolicyOut(Schema):
    id: int
    name: str
    position: int
    is_active: bool
    kind: str
    priority: str
    channel: str
    customer_tier: str
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    at_risk_percent: int
    pauses_on_third_party: bool


class AgentLoadOut(Schema):
    agent: AssigneeOut
    is_available: bool
    open_total: int
    new: int
    open: int
    waiting: int
    at_risk: int
    breached: int
    escalated: int


class WorkloadOut(Schema):
    team: RefOut
    unassigned: int = Field(description="Open cases of the team nobody handles yet")
    agents: list[AgentLoadOut]


class WorkloadQuery(QuerySchema):
    team_id: Id | None = None


class QualityQueueQuery(ListQuery):
    mine: bool = False


# --- configuration (administrators): empty matching fields mean "any" -------------
Any_ = Literal[""]


class TaxonomyEntryIn(InSchema):
    code: str = Field(min_length=1, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    name_fr: str = Field(min_length=1, max_length=120)
    name_en: str = Field(min_length=1, max_length=120)
    parent_id: Id | None = Field(None, description="a family (a top-level entry)")
    is_active: bool = True


class MatchIn(InSchema):
    kind: CaseKind | Any_ = ""
    priority: CasePriority | Any_ = ""
    channel: Channel | Any_ = ""
    customer_tier: CustomerTier | Any_ = ""


class SlaPolicyIn(MatchIn):
    name: str = Field(min_length=1, max_length=120)
    position: int = Field(100, ge=0, le=1_000_000)
    is_active: bool = True
    first_response_minutes: int | None = Field(None, ge=1, le=525_600)
    next_response_minutes: int | None = Field(None, ge=1, le=525_600)
    resolution_minutes: int | None = Field(None, ge=1, le=5_256_000)
    at_risk_percent: int = Field(75, ge=1, le=99)
    pauses_on_third_party: bool = False


class RoutingRuleIn(MatchIn):
    name: str = Field(min_length=1, max_length=120)
    position: int = Field(100, ge=0, le=1_000_000)
    is_active: bool = True
    category: str = Field("", max_length=80)
    language: str = Field("", max_length=8)
    tag: str = Field(
        "", max_length=60, description="a tag of the new case or of its customer"
    )
    team_id: Id | None = Field(
        None, description="the team it sends to; none: the team whose skills fit best"
    )


class RoutingRuleOut(Schema):
    id: int
    name: str
    position: int
    is_active: bool
    kind: str
    priority: str
    channel: str
    customer_tier: str
    category: str
    language: str
    tag: str
    team_id: int | None


class CustomFieldOut(Schema):
    key: str
    label_fr: str
    label_en: str
    kind: str = Field(description="text, number, date or choice")
    choices: list[str]
    position: int
    is_active: bool


class CustomFieldIn(InSchema):
    """A custom field of cases; ``key`` and ``kind`` cannot change once created."""

    key: FieldKey
    label_fr: str = Field(min_length=1, max_length=80)
    label_en: str = Field(min_length=1, max_length=80)
    kind: Literal["text", "number", "date", "choice"]
    choices: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, max_length=50, description="For a choice field"
    )
    position: int = Field(100, ge=0, le=1_000_000)
    is_active: bool = True


class TeamRoutingIn(InSchema):
    languages: list[str] = Field(default_factory=list, max_length=20)
    categories: list[str] = Field(default_factory=list, max_length=200)
    assignment_mode: AssignmentMode = AssignmentMode.MANUAL


class TeamRoutingOut(Schema):
    team_id: int
    team_name: str = Field(alias="team.name")
    languages: list[str]
    categories: list[str]
    assignment_mode: str
