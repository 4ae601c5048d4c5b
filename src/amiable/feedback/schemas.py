"""API schemas of surveys, answers and results."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from amiable.api.schemas import (
    Id,
    ListQuery,
    QuerySchema,
)
from amiable.feedback.models import SurveyKind, SurveyStatus, SurveyTrigger
from amiable.feedback.results import Dimension


class SurveyListQuery(ListQuery):
    customer_id: Id | None = None
    kind: SurveyKind | None = None
    status: SurveyStatus | None = None
    trigger: SurveyTrigger | None = None


class SurveyAnswerOut(Schema):
    score: int
    comment: str
    follow_up_case_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class SurveyOut(Schema):
    id: int
    customer_id: int
    kind: str
    trigger: str
    status: str
    medium: str = Field(description="email, or sms for customers without an email")
    language: str
    case_id: int | None
    order_id: int | None
    team_id: int | None
    agent_id: int | None
    product_id: int | None
    channel: str
    category: str
    customer_tier: str
    requested_at: dt.datetime
    scheduled_for: dt.datetime
    sent_at: dt.datetime | None
    answered_at: dt.datetime | None
    answer: SurveyAnswerOut | None = None


class ResponseListQuery(ListQuery):
    kind: SurveyKind | None = None
    q: str = Field("", max_length=200, description="Search in the comments.")
    customer_id: Id | None = None


class ResponseOut(Schema):
    id: int
    survey_id: int
    customer_id: int
    kind: str
    score: int
    comment: str
    follow_up_case_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime


class ResultsQuery(QuerySchema):
    kind: SurveyKind = SurveyKind.NPS
    dimension: Dimension = Dimension.OVERALL
    date_from: dt.date | None = Field(None, description="First day (sent date).")
    date_to: dt.date | None = Field(None, description="Last day (sent date).")
    trigger: SurveyTrigger | None = None


class GroupOut(Schema):
    key: str
    label: str
    sent: int
    answered: int
    response_rate: float | None
    value: float | None
    ci_low: float | None
    ci_high: float | None
    is_enough: bool


class ResultsOut(Schema):
    kind: str
    dimension: str
    metric: Literal["nps", "csat_top2_percent", "ces_mean", "yes_percent"]
    groups: list[GroupOut]
