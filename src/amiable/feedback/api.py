"""API of feedback: surveys, answers (verbatims) and results with intervals.
Supervisors, quality managers and administrators only."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from amiable.api.auth import actor_of
from amiable.api.pagination import page_of
from amiable.api.schemas import ERROR_RESPONSES, PageOut
from amiable.core.access import SUPERVISORS, access
from amiable.feedback.models import Survey, SurveyKind, SurveyResponse
from amiable.feedback.results import ResultFilters, feedback_results
from amiable.feedback.schemas import (
    GroupOut,
    ResponseListQuery,
    ResponseOut,
    ResultsOut,
    ResultsQuery,
    SurveyAnswerOut,
    SurveyListQuery,
    SurveyOut,
)
from amiable.feedback.selectors import (
    ResponseFilters,
    SurveyFilters,
    response_list,
    survey_list,
)

router = Router()
METRICS = {
    SurveyKind.NPS: "nps",
    SurveyKind.CSAT: "csat_top2_percent",
    SurveyKind.CES: "ces_mean",
    SurveyKind.CHECK: "yes_percent",
}


def _survey_out(survey: Survey) -> SurveyOut:
    answer = getattr(survey, "response", None)
    out = SurveyOut.from_orm(survey)
    if answer is not None:
        out.answer = SurveyAnswerOut.from_orm(answer)
    return out


@router.get("/surveys", response={200: PageOut[SurveyOut], **ERROR_RESPONSES})
@access(SUPERVISORS)
def survey_list_api(
    request: HttpRequest, params: Query[SurveyListQuery]
) -> dict[str, Any]:
    """Surveys, newest first, with their answer if any."""
    queryset = survey_list(
        actor=actor_of(request),
        filters=SurveyFilters(
            customer_id=params.customer_id,
            kind=params.kind or "",
            status=params.status or "",
            trigger=params.trigger or "",
        ),
    )
    page = page_of(
        queryset,
        ordering=("-created_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )
    page["items"] = [_survey_out(survey) for survey in page["items"]]
    return page


def _response_out(response: SurveyResponse) -> ResponseOut:
    return ResponseOut(
        id=response.pk,
        survey_id=response.survey_id,
        customer_id=response.survey.customer_id,
        kind=response.survey.kind,
        score=response.score,
        comment=response.comment,
        follow_up_case_id=response.follow_up_case_id,
        created_at=response.created_at,
        updated_at=response.updated_at,
    )


@router.get("/responses", response={200: PageOut[ResponseOut], **ERROR_RESPONSES})
@access(SUPERVISORS)
def response_list_api(
    request: HttpRequest, params: Query[ResponseListQuery]
) -> dict[str, Any]:
    """Answers, newest first; ``q`` searches the comments (verbatims)."""
    queryset = response_list(
        actor=actor_of(request),
        filters=ResponseFilters(
            kind=params.kind or "", text=params.q, customer_id=params.customer_id
        ),
    )
    page = page_of(
        queryset,
        ordering=("-created_at", "-id"),
        limit=params.limit,
        cursor=params.cursor,
    )
    page["items"] = [_response_out(response) for response in page["items"]]
    return page


@router.get("/results", response={200: ResultsOut, **ERROR_RESPONSES})
@access(SUPERVISORS)
def feedback_results_api(
    request: HttpRequest, params: Query[ResultsQuery]
) -> ResultsOut:
    """The kind's metric per group of ``dimension`` (``month`` for the trend), with
    surveys sent, answers, response rate and the 95 % interval (domain rules §6.2)."""
    groups = feedback_results(
        actor=actor_of(request),
        filters=ResultFilters(
            kind=params.kind,
            dimension=params.dimension,
            date_from=params.date_from,
            date_to=params.date_to,
            trigger=params.trigger or "",
        ),
    )
    return ResultsOut(
        kind=params.kind,
        dimension=params.dimension,
        metric=METRICS[params.kind],  # type: ignore[arg-type]
        groups=[
            GroupOut(
                key=group.key,
                label=group.label,
                sent=group.sent,
                answered=group.answered,
                response_rate=group.response_rate,
                value=group.estimate.value,
                ci_low=group.estimate.low,
                ci_high=group.estimate.high,
                is_enough=group.estimate.is_enough,
            )
            for group in groups
        ],
    )
