"""API schemas of confirmations, first-contact resolution, problems and incidents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import ClassVar

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
from amiable.quality.models import (
    ActionStatus,
    ConfirmationStatus,
    IncidentKind,
    IncidentStatus,
    ProblemStatus,
)
from amiable.quality.selectors.fcr import FcrDimension

MAX_TEXT = 10_000


class MoneyOut(Schema):
    amount: Decimal
    currency: str


class PersonOut(Schema):
    id: int
    username: str
    display_name: str


class RootCauseOut(Schema):
    id: int
    code: str
    name_fr: str
    name_en: str


class ConfirmationOut(Schema):
    id: int
    case_id: int
    customer_id: int
    status: str
    language: str
    resolved_at: dt.datetime
    expires_at: dt.datetime
    is_solved: bool | None
    first_contact: str
    comment: str
    answered_at: dt.datetime | None
    created_at: dt.datetime


class ConfirmationListQuery(ListQuery):
    case_id: Id | None = None
    status: ConfirmationStatus | None = None
    is_solved: bool | None = None


class FcrQuery(QuerySchema):
    dimension: FcrDimension = FcrDimension.OVERALL
    date_from: dt.date | None = Field(None, description="First day resolved (local).")
    date_to: dt.date | None = Field(None, description="Last day resolved, included.")


class FcrRowOut(Schema):
    key: str
    label: str
    resolved: int = Field(description="Resolved at least W days ago (counted).")
    first_contact: int
    operational_rate: float | None
    waiting: int = Field(description="Resolved less than W days ago (not counted).")
    survey_answers: int
    survey_yes: int
    survey_rate: float | None
    confirmations: int
    confirmed: int
    confirmed_rate: float | None


class FcrOut(Schema):
    dimension: str
    repeat_window_days: int
    rows: list[FcrRowOut]


class ProblemOut(Schema):
    id: int
    title: str
    root_cause: RootCauseOut
    status: str
    owner: PersonOut | None
    corrective_action: str
    action_status: str
    action_due_on: dt.date | None
    window_start: dt.datetime
    window_end: dt.datetime
    threshold: int
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    version: int


class ProblemDetailOut(ProblemOut):
    case_count: int
    hidden_case_count: int = Field(description="Linked cases of teams not seen.")
    total_cost: list[MoneyOut]


class ProblemListQuery(ListQuery):
    status: ProblemStatus | None = None
    root_cause_id: Id | None = None


class ProblemListOut(ProblemOut):
    case_count: int


class ProblemCaseOut(Schema):
    case_id: int
    reference: str
    subject: str
    kind: str
    status: str
    team_id: int | None
    opened_at: dt.datetime
    cost: list[MoneyOut]


class ProblemCasesQuery(QuerySchema):
    cursor: str | None = Field(None, max_length=2000)


class ProblemUpdateIn(PatchSchema):
    nullable_fields: ClassVar[frozenset[str]] = frozenset({"owner_id", "action_due_on"})

    version: Version
    title: str | None = Field(None, min_length=1, max_length=200)
    owner_id: Id | None = None
    corrective_action: str | None = Field(None, max_length=MAX_TEXT)
    action_status: ActionStatus | None = None
    action_due_on: dt.date | None = None
    status: ProblemStatus | None = None


class ProblemOpenIn(InSchema):
    root_cause_id: Id
    case_ids: list[Id] = Field(min_length=1, max_length=1000)
    title: str = Field("", max_length=200)


class ProblemLinkIn(InSchema):
    case_id: Id


class IncidentOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    status: str
    started_at: dt.datetime
    resolved_at: dt.datetime | None
    owner_id: int | None
    root_cause_id: int | None
    resolution_summary: str
    version: int
    created_at: dt.datetime


class IncidentListOut(IncidentOut):
    case_count: int
    open_count: int


class IncidentListQuery(ListQuery):
    status: IncidentStatus | None = None


class IncidentIn(InSchema):
    title: str = Field(min_length=1, max_length=200)
    kind: IncidentKind = IncidentKind.OTHER
    description: str = Field("", max_length=MAX_TEXT)
    started_at: dt.datetime | None = None


class IncidentUpdateIn(PatchSchema):
    version: Version
    title: str | None = Field(None, min_length=1, max_length=200)
    kind: IncidentKind | None = None
    description: str | None = Field(None, max_length=MAX_TEXT)


class IncidentLinkIn(InSchema):
    case_ids: list[Id] = Field(min_length=1, max_length=1000)


class IncidentReplyIn(InSchema):
    body_fr: str = Field("", max_length=50_000)
    body_en: str = Field("", max_length=50_000)
    wait_for_customer: bool = False


class IncidentResolveIn(InSchema):
    summary: str = Field(min_length=1, max_length=MAX_TEXT)
    root_cause_id: Id
    version: Version | None = None


class BulkActionOut(Schema):
    id: int
    incident_id: int
    kind: str
    status: str
    done_count: int
    skipped_count: int
    failed_count: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
