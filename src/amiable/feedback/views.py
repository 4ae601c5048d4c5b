"""Public survey pages (answer, thank-you) and the staff results page.

A GET on a survey link only shows the form: mail scanners follow links, so nothing
is recorded until the customer presses the button (a POST with Django's CSRF cookie,
set by the GET, which needs no session).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods

from amiable.accounts.models import User
from amiable.core.access import SIGNED, SUPERVISORS, access
from amiable.core.errors import ApplicationError
from amiable.core.pagination import paginate
from amiable.feedback.forms import ResultsForm, SurveyAnswerForm
from amiable.feedback.models import Survey, SurveyKind
from amiable.feedback.permissions import can_view_feedback
from amiable.feedback.results import Dimension, ResultFilters, feedback_results
from amiable.feedback.scales import (
    FOLLOW_UPS,
    QUESTIONS,
    SCALES,
    Band,
    band_of,
    score_is_valid,
)
from amiable.feedback.selectors import ResponseFilters, response_list, survey_from_token
from amiable.feedback.services import feedback_settings_get, survey_answer
from amiable.feedback.signing import TokenState

VERBATIM_PAGE_SIZE = 20
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex, nofollow",
    # Not "no-referrer": with it browsers send "Origin: null" on the form's POST and
    # Django's CSRF check refuses it. same-origin still keeps the token from others.
    "Referrer-Policy": "same-origin",
}


def _public(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    language: str | None,
    status: int = 200,
) -> HttpResponse:
    """Render a public page in the customer's language (or the browser's)."""
    language = language or translation.get_language() or "fr"
    with translation.override(language):
        context = {**context, "page_language": language}
        body = render_to_string(template, context, request=request)
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


def _link_error(
    request: HttpRequest, state: TokenState, survey: Survey | None
) -> HttpResponse:
    if state == TokenState.EXPIRED and survey is not None:
        return _public(
            request,
            "feedback/link_expired.html",
            {},
            language=survey.language,
            status=410,
        )
    return _public(request, "feedback/link_invalid.html", {}, language=None, status=404)


def _survey_context(survey: Survey, form: SurveyAnswerForm) -> dict[str, Any]:
    scale = SCALES[survey.kind]
    return {
        "survey": survey,
        "form": form,
        "question": QUESTIONS[survey.kind],
        "lowest_label": scale.lowest_label,
        "highest_label": scale.highest_label,
        "is_check": survey.kind == SurveyKind.CHECK,
        "customer_first_name": survey.customer.name.split(" ")[0],
    }


@access(SIGNED)
@ensure_csrf_cookie
@require_http_methods(["GET", "HEAD", "POST"])
def survey_answer_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET: the survey with the link's score pre-selected (records nothing).
    POST: record or update the one answer, then the thank-you page."""
    link = survey_from_token(token)
    survey = link.survey
    if link.state != TokenState.VALID or survey is None:
        return _link_error(request, link.state, survey)
    if request.method == "POST":
        form = SurveyAnswerForm(request.POST, kind=survey.kind)
        if form.is_valid():
            try:
                survey_answer(
                    survey=survey,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except ApplicationError as exc:
                form.add_error("score", exc.message)
            else:
                return HttpResponseRedirect(
                    reverse("feedback_public:thanks", args=[token])
                )
        return _public(
            request,
            "feedback/answer.html",
            _survey_context(survey, form),
            language=survey.language,
            status=422,
        )
    initial: dict[str, Any] = {}
    raw = request.GET.get("score", "")
    if raw.isdigit() and score_is_valid(survey.kind, int(raw)):
        initial["score"] = int(raw)
    elif hasattr(survey, "response"):
        initial = {"score": survey.response.score, "comment": survey.response.comment}
    form = SurveyAnswerForm(initial=initial, kind=survey.kind)
    return _public(
        request,
        "feedback/answer.html",
        _survey_context(survey, form),
        language=survey.language,
    )


@access(SIGNED)
@ensure_csrf_cookie
@require_GET
def survey_thanks_view(request: HttpRequest, token: str) -> HttpResponse:
    """Thanks, a follow-up question by score band if no comment yet, and the public
    review invitation for passives and promoters."""
    link = survey_from_token(token)
    survey = link.survey
    if link.state != TokenState.VALID or survey is None:
        return _link_error(request, link.state, survey)
    if not hasattr(survey, "response"):
        return HttpResponseRedirect(reverse("feedback_public:answer", args=[token]))
    response = survey.response
    band = band_of(survey.kind, response.score)
    form = SurveyAnswerForm(initial={"score": response.score}, kind=survey.kind)
    context = {
        "survey": survey,
        "answer": response,
        "form": form,
        "token": token,
        "follow_up_question": FOLLOW_UPS[band],
        "is_detractor": band == Band.DETRACTOR,
        "review_url": ""
        if band == Band.DETRACTOR
        else feedback_settings_get().review_url,
    }
    return _public(request, "feedback/thanks.html", context, language=survey.language)


def _staff(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User) or not can_view_feedback(user):
        raise PermissionDenied
    return user


@access(SUPERVISORS)
@login_required
@require_GET
def feedback_results_view(request: HttpRequest) -> HttpResponse:
    """Results per dimension with intervals, the monthly trend, and the verbatims."""
    actor = _staff(request)
    form = ResultsForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    filters = ResultFilters(
        kind=data.get("kind") or SurveyKind.NPS,
        dimension=Dimension(data.get("dimension") or Dimension.TEAM),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        trigger=data.get("trigger") or "",
    )
    trend = feedback_results(
        actor=actor, filters=dataclasses.replace(filters, dimension=Dimension.MONTH)
    )
    errors: list[str] = []
    verbatims = response_list(
        actor=actor,
        filters=ResponseFilters(kind=filters.kind, text=data.get("q") or ""),
    )
    try:
        page = paginate(
            verbatims,
            ordering=("-created_at", "-id"),
            limit=VERBATIM_PAGE_SIZE,
            cursor=data.get("cursor") or None,
        )
    except ApplicationError as exc:
        errors.append(exc.message)
        page = paginate(
            verbatims, ordering=("-created_at", "-id"), limit=VERBATIM_PAGE_SIZE
        )
    context = {
        "form": form,
        "filters": filters,
        "kind_label": SurveyKind(filters.kind).label,
        "results": feedback_results(actor=actor, filters=filters),
        "trend": trend,
        "trend_data": {
            "labels": [row.label for row in trend],
            "values": [row.estimate.value for row in trend],
            "low": [row.estimate.low for row in trend],
            "high": [row.estimate.high for row in trend],
        },
        "is_percentage": filters.kind in {SurveyKind.CSAT, SurveyKind.CHECK},
        "verbatims": page,
        "errors": errors,
    }
    return render(request, "feedback/results.html", context)
