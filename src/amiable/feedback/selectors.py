"""Scoped reads of surveys and answers, and resolving a public survey link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.core.errors import PermissionDeniedError
from amiable.feedback.models import Survey, SurveyResponse
from amiable.feedback.permissions import can_view_feedback
from amiable.feedback.services.requesting import feedback_settings_get
from amiable.feedback.signing import TokenState, token_check

CUSTOMER_SECTION_SIZE = 10


@dataclass(frozen=True)
class SurveyLink:
    """What a public link resolves to: a survey only for a genuine link."""

    state: TokenState
    survey: Survey | None


def survey_from_token(token: str) -> SurveyLink:
    """The survey a link names (valid or expired), or INVALID with no survey."""
    max_age = dt.timedelta(days=feedback_settings_get().link_max_age_days)
    check = token_check(token, max_age=max_age)
    if check.state == TokenState.INVALID:
        return SurveyLink(TokenState.INVALID, None)
    survey = (
        Survey.objects.select_related("customer", "response")
        .filter(public_key=check.public_key)
        .first()
    )
    if survey is None:
        return SurveyLink(TokenState.INVALID, None)
    return SurveyLink(check.state, survey)


def require_feedback_reader(actor: User) -> None:
    if not can_view_feedback(actor):
        raise PermissionDeniedError(
            _("Survey results are for supervisors and quality managers.")
        )


@dataclass(frozen=True)
class SurveyFilters:
    customer_id: int | None = None
    kind: str = ""
    status: str = ""
    trigger: str = ""


def survey_list(*, actor: User, filters: SurveyFilters) -> QuerySet[Survey]:
    """Surveys with their answer; supervisors and above (PermissionDeniedError)."""
    require_feedback_reader(actor)
    queryset = Survey.objects.select_related("customer", "response", "case")
    if filters.customer_id is not None:
        queryset = queryset.filter(customer_id=filters.customer_id)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.trigger:
        queryset = queryset.filter(trigger=filters.trigger)
    return queryset


@dataclass(frozen=True)
class ResponseFilters:
    kind: str = ""
    text: str = ""
    customer_id: int | None = None
    band_max_score: int | None = None


def response_list(*, actor: User, filters: ResponseFilters) -> QuerySet[SurveyResponse]:
    """Answers (verbatims searchable by ``text``); supervisors and above."""
    require_feedback_reader(actor)
    queryset = SurveyResponse.objects.select_related(
        "survey", "survey__customer", "follow_up_case"
    )
    if filters.kind:
        queryset = queryset.filter(survey__kind=filters.kind)
    if filters.customer_id is not None:
        queryset = queryset.filter(survey__customer_id=filters.customer_id)
    if filters.band_max_score is not None:
        queryset = queryset.filter(score__lte=filters.band_max_score)
    if filters.text.strip():
        queryset = queryset.filter(comment__icontains=filters.text.strip())
    return queryset


def survey_list_for_customer(*, actor: User, customer_id: int) -> list[Survey]:
    """The customer's latest surveys with their answers (one query), for the
    customer page, which every staff member may see."""
    return list(
        Survey.objects.filter(customer_id=customer_id)
        .select_related("response", "response__follow_up_case")
        .order_by("-requested_at", "-id")[:CUSTOMER_SECTION_SIZE]
    )
