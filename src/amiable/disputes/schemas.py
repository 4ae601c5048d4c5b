"""API schemas of the dispute track, the cost ledger and the cost report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar, Literal

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import (
    Amount,
    Currency,
    Id,
    InSchema,
    ListQuery,
    PatchSchema,
    QuerySchema,
    Version,
)
from amiable.cases.models import CaseKind, CostKind
from amiable.disputes.cost_reports import CostDimension, Granularity
from amiable.disputes.models import (
    DisputeOutcome,
    DisputeStage,
    ProposalAuthor,
)

MAX_TEXT = 5000


class MoneyOut(Schema):
    amount: Decimal
    currency: str


class MediatorOut(Schema):
    id: int
    name: str
    website: str
    postal_address: str
    email: str
    sector: str
    is_active: bool


class DeadlineOut(Schema):
    """A legal deadline computed from the dispute's dates (domain rules §6.1)."""

    rule_code: str
    article: str
    title: str
    trigger: str
    bearer: Literal["consumer", "professional", "mediator", "parties", "limitation"]
    trigger_key: str
    triggered_at: dt.datetime
    last_day: dt.date | None = Field(description="Local date the period ends on.")
    due_at: dt.datetime | None = Field(
        description="End of the last day (24:00 local); null while suspended."
    )
    was_extended: bool
    state: Literal["running", "met", "overdue", "ended", "suspended"]
    met_at: dt.datetime | None
    note: str


class ProposalOut(Schema):
    id: int
    made_by: str
    description: str
    amount: Decimal
    currency: str
    proposed_at: dt.datetime
    respond_by: dt.date | None
    response: str
    responded_at: dt.datetime | None
    response_note: str


class CostEntryOut(Schema):
    id: int
    kind: str
    amount: Decimal
    currency: str
    description: str
    incurred_at: dt.datetime
    recorded_by_id: int | None
    source: str


class CostSummaryOut(Schema):
    staff_seconds: int
    staff_cost: MoneyOut
    entries: list[CostEntryOut]
    totals: list[MoneyOut]


class DisputeSummaryOut(Schema):
    id: int
    case_id: int
    case_reference: str
    customer_id: int
    stage: str
    outcome: str
    mediator: MediatorOut | None
    written_complaint_at: dt.datetime | None
    referred_at: dt.datetime | None
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime


class DisputeOut(DisputeSummaryOut):
    is_consumer: bool
    legal_time_zone: str
    holiday_subdivision: str
    complaint_failed_at: dt.datetime | None
    mediator_info_sent_at: dt.datetime | None
    file_complete_at: dt.datetime | None
    mediation_agreed_at: dt.datetime | None
    outcome_extended_to: dt.date | None
    extension_reason: str
    outcome_at: dt.datetime | None
    outcome_summary: str
    deadlines: list[DeadlineOut]
    proposals: list[ProposalOut]
    cost: CostSummaryOut


class DisputeListQuery(ListQuery):
    stage: DisputeStage | None = None
    outcome: DisputeOutcome | None = None
    mediator_id: Id | None = None


class DisputeOpenIn(InSchema):
    case_id: Id
    written_complaint_at: dt.datetime | None = None


class DisputeUpdateIn(PatchSchema):
    """Fields to record or correct; omitted ones stay, ``null`` clears a date."""

    nullable_fields: ClassVar[frozenset[str]] = frozenset(
        {
            "written_complaint_at",
            "complaint_failed_at",
            "mediator_info_sent_at",
            "mediator_id",
            "referred_at",
            "file_complete_at",
            "mediation_agreed_at",
            "outcome_extended_to",
            "outcome_at",
        }
    )

    version: Version
    is_consumer: bool | None = None
    holiday_subdivision: str | None = Field(None, max_length=20)
    written_complaint_at: dt.datetime | None = None
    complaint_failed_at: dt.datetime | None = None
    mediator_info_sent_at: dt.datetime | None = None
    mediator_id: Id | None = None
    referred_at: dt.datetime | None = None
    file_complete_at: dt.datetime | None = None
    mediation_agreed_at: dt.datetime | None = None
    outcome_extended_to: dt.date | None = None
    extension_reason: str | None = Field(None, max_length=255)
    outcome: DisputeOutcome | None = None
    outcome_at: dt.datetime | None = None
    outcome_summary: str | None = Field(None, max_length=MAX_TEXT)


class ProposalIn(InSchema):
    made_by: ProposalAuthor
    description: str = Field(min_length=1, max_length=MAX_TEXT)
    amount: Amount | None = None
    currency: Currency = "EUR"
    proposed_at: dt.datetime
    respond_by: dt.date | None = None
    version: Version | None = None


class ProposalAnswerIn(InSchema):
    answer: Literal["accepted", "refused"]
    responded_at: dt.datetime | None = Field(None, description="Default: now.")
    note: str = Field("", max_length=500)


class MediatorInfoIn(InSchema):
    mediator_id: Id
    version: Version | None = None


class CostEntryIn(InSchema):
    kind: CostKind
    amount: Amount
    currency: Currency = "EUR"
    description: str = Field("", max_length=255)
    incurred_at: dt.datetime | None = Field(None, description="Default: now.")
    source: str = Field(
        "",
        max_length=100,
        description="What caused the cost; one entry per source (idempotent).",
    )


class DeadlineListQuery(ListQuery):
    open_only: bool = Field(True, description="Only deadlines not met yet.")
    due_before: dt.datetime | None = None
    rule_code: str = Field("", max_length=40)


class StoredDeadlineOut(Schema):
    id: int
    dispute_id: int
    case_id: int
    case_reference: str
    rule_code: str
    article: str
    triggered_at: dt.datetime
    due_at: dt.datetime
    met_at: dt.datetime | None


class CostReportQuery(QuerySchema):
    group_by: CostDimension = CostDimension.KIND
    period: Granularity = Field(
        Granularity.MONTH, description="Size of a period when grouping by period."
    )
    date_from: dt.date | None = Field(None, description="First day (local).")
    date_to: dt.date | None = Field(None, description="Last day, included (local).")
    case_kind: CaseKind | None = None
    team_id: Id | None = None


class CostGroupOut(Schema):
    key: str
    label: str
    staff_seconds: int
    entries: int
    totals: list[MoneyOut]


class CostReportOut(Schema):
    group_by: str
    period: str
    groups: list[CostGroupOut]
    totals: list[MoneyOut]
    staff_seconds: int
