"""Recording the one answer to a survey, and closing the loop on a bad one."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amiable.audit.services import audit_record
from amiable.cases.models import CaseKind, CasePriority
from amiable.cases.services import case_open
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import interaction_record
from amiable.core.clock import now
from amiable.feedback.errors import SurveyScoreInvalidError
from amiable.feedback.models import Survey, SurveyResponse
from amiable.feedback.scales import (
    QUESTIONS,
    Band,
    band_of,
    comment_is_negative,
    score_is_valid,
)
from amiable.feedback.services.requesting import feedback_settings_get

FOLLOW_UP_CATEGORY = "survey-follow-up"
COMMENT_MAX_LENGTH = 5000


def needs_follow_up(kind: str, score: int, comment: str) -> bool:
    """Detractors and negative comments get a personal follow-up."""
    return band_of(kind, score) == Band.DETRACTOR or comment_is_negative(comment)


def _quote(survey: Survey, response: SurveyResponse) -> str:
    lines = [
        _("Survey answer of %(name)s") % {"name": survey.customer.name},
        f"> {QUESTIONS[survey.kind]}",
        f"> {_('Score')}: {response.score}",
    ]
    if response.comment:
        lines += [f"> {line}" for line in response.comment.splitlines()]
    if survey.case_id is not None and survey.case is not None:
        lines.append(
            _("About case %(reference)s") % {"reference": survey.case.reference}
        )
    if survey.order is not None:
        lines.append(_("About order %(ref)s") % {"ref": survey.order.external_ref})
    return "\n".join(lines)


def _open_follow_up(survey: Survey, response: SurveyResponse) -> None:
    config = feedback_settings_get()
    due = now() + dt.timedelta(hours=config.follow_up_due_hours)
    with translation.override(settings.LANGUAGE_CODE):
        due_text = formats.date_format(timezone.localtime(due), "SHORT_DATETIME_FORMAT")
        subject = _("Survey follow-up (%(kind)s %(score)s): answer before %(due)s") % {
            "kind": survey.get_kind_display(),
            "score": response.score,
            "due": due_text,
        }
        body = (
            _quote(survey, response)
            + "\n\n"
            + _("Call or write to the customer personally before %(due)s.")
            % {"due": due_text}
        )
    response.follow_up_case = case_open(
        actor=None,
        customer=survey.customer,
        subject=subject,
        kind=CaseKind.COMPLAINT,
        priority=CasePriority.HIGH,
        category=FOLLOW_UP_CATEGORY,
        channel=Channel.PORTAL,
        team=survey.team,
        body_text=body,
        external_id=f"survey-{survey.pk}-answer",
    )
    response.save(update_fields=["follow_up_case", "updated_at"])


def _add_comment_to_follow_up(survey: Survey, response: SurveyResponse) -> None:
    case = response.follow_up_case
    if case is None:
        return
    interaction_record(
        actor=None,
        customer=survey.customer,
        case=case,
        channel=Channel.PORTAL,
        direction=Direction.INBOUND,
        subject=_("Survey comment"),
        body_text=_quote(survey, response),
    )


@transaction.atomic
def survey_answer(
    *, survey: Survey, score: int, comment: str | None = None
) -> SurveyResponse:
    """Record or update the survey's one answer (a new comment replaces the old one;
    no comment keeps it). A detractor score or a negative comment opens exactly one
    follow-up case (complaint, high priority, answer quoted, due time in the subject);
    a later comment is added to that case. Raises SurveyScoreInvalidError."""
    if not score_is_valid(survey.kind, score):
        raise SurveyScoreInvalidError(
            _("This score is not on the survey's scale."),
            fields={"score": [_("Invalid score.")]},
        )
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("customer", "case", "order")
        .get(pk=survey.pk)
    )
    new_comment = (comment or "").strip()[:COMMENT_MAX_LENGTH]
    response = SurveyResponse.objects.filter(survey=survey).first()
    before = None
    if response is None:
        response = SurveyResponse(survey=survey, score=score, comment=new_comment)
        survey.answered_at = now()
        survey.save(update_fields=["answered_at", "updated_at"])
    else:
        before = {"score": response.score, "comment": response.comment}
        response.score = score
        if new_comment:
            response.comment = new_comment
    response.save()
    audit_record(
        actor=None,
        actor_label=f"customer:{survey.customer_id}",
        action="survey.answer",
        instance=response,
        before=before,
        after={"score": response.score, "comment": response.comment},
    )
    if response.follow_up_case_id is None:
        if needs_follow_up(survey.kind, response.score, response.comment):
            _open_follow_up(survey, response)
    elif new_comment and before is not None and new_comment != before["comment"]:
        _add_comment_to_follow_up(survey, response)
    return response
