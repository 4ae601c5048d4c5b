"""API schemas of promises, their suggestion and their measures."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import AwareDatetime, Field

from amiable.api.schemas import (
    Id,
    InSchema,
    ListQuery,
    QuerySchema,
)
from amiable.promises.models import PromiseKind, PromiseState


class PromiseOut(Schema):
    id: int
    customer_id: int
    case_id: int | None
    order_id: int | None
    kind: str
    description: str
    source: str
    made_by_id: int | None
    team_id: int | None
    channel: str
    made_at: dt.datetime
    original_due_at: dt.datetime
    due_at: dt.datetime
    expected_at: dt.datetime | None
    state: str
    state_changed_at: dt.datetime
    risk_reason: str
    fulfilled_at: dt.datetime | None
    evidence: str
    renegotiation_count: int
    rule_code: str
    article: str
    carrier: str
    category: str


class PromiseListQuery(ListQuery):
    state: list[PromiseState] = Field(default_factory=list)
    kind: list[PromiseKind] = Field(default_factory=list)
    customer_id: Id | None = None
    case_id: Id | None = None
    order_id: Id | None = None
    live_only: bool = False
    sort: Literal["due_at", "-due_at", "-made_at", "made_at"] = "due_at"


class PromiseMakeIn(InSchema):
    case_id: Id
    kind: PromiseKind
    description: str = Field(min_length=1, max_length=500)
    due_at: AwareDatetime
    channel: str = Field("", max_length=10)
    order_id: Id | None = None
    is_sooner_confirmed: bool = False


class PromiseRenegotiateIn(InSchema):
    due_at: AwareDatetime
    reason: str = Field(min_length=1, max_length=500)
    is_customer_told: bool = False
    is_message_sent: bool = False


class PromiseKeepIn(InSchema):
    note: str = Field("", max_length=200)


class PromiseCancelIn(InSchema):
    reason: str = Field(min_length=1, max_length=500)


class SuggestionQuery(QuerySchema):
    kind: PromiseKind
    carrier: str = Field("", max_length=60)
    category: str = Field("", max_length=80)


class KeptRateOut(Schema):
    kept: int
    broken: int
    rate: float | None


class SuggestionOut(Schema):
    kind: str
    carrier: str
    category: str
    sample_size: int
    is_from_history: bool
    duration_hours: float
    due_at: dt.datetime
    agent_kept_rate: KeptRateOut | None


class MeasureQuery(QuerySchema):
    since: AwareDatetime | None = None
    until: AwareDatetime | None = None


class KeptRateQuery(MeasureQuery):
    by: Literal["kind", "team", "agent", "carrier"] = "kind"


class KeptRateRowOut(Schema):
    key: str
    label: str
    kept: int
    broken: int
    rate: float | None


class KeptRatesOut(Schema):
    by: str
    rows: list[KeptRateRowOut]


class GapQuery(MeasureQuery):
    kind: PromiseKind | Literal[""] = ""


class GapBinOut(Schema):
    upper_days: float | None
    count: int


class GapOut(Schema):
    count: int
    mean_days: float | None
    median_days: float | None
    p90_days: float | None
    on_time: int
    late: int
    bins: list[GapBinOut]
