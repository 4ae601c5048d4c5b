"""Sending a survey: by email (HTML and text, one link per score) or by SMS (one
short link)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.audit.services import audit_record
from amiable.conversations.sms import SMS_MAX_CHARS, sms_backend
from amiable.core.clock import now
from amiable.feedback.links import public_url, score_links, survey_path
from amiable.feedback.models import Survey, SurveyMedium, SurveyStatus
from amiable.feedback.scales import QUESTIONS, SCALES
from amiable.feedback.services.requesting import surveys_consented


def _message(survey: Survey) -> EmailMultiAlternatives:
    with translation.override(survey.language):
        scale = SCALES[survey.kind]
        context = {
            "survey": survey,
            "customer": survey.customer,
            "question": QUESTIONS[survey.kind],
            "links": score_links(survey),
            "lowest_label": scale.lowest_label,
            "highest_label": scale.highest_label,
            "is_check": survey.kind == "check",
        }
        subject = _("Your opinion in one click")
        text = render_to_string("feedback/email/survey.txt", context)
        html = render_to_string("feedback/email/survey.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[survey.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message


def sms_text(survey: Survey) -> str:
    """The survey by SMS: the question and one link (the page asks for the score)."""
    with translation.override(survey.language):
        first_name = survey.customer.name.split(" ")[0]
        text = _("Hello %(name)s. %(question)s Answer in one click: %(link)s") % {
            "name": first_name,
            "question": QUESTIONS[survey.kind],
            "link": public_url() + survey_path(survey),
        }
    return text[:SMS_MAX_CHARS]


def _deliver(survey: Survey) -> None:
    if survey.medium == SurveyMedium.SMS:
        sms_backend().send(
            to=survey.phone, body=sms_text(survey), sender=settings.AMIABLE_SMS_SENDER
        )
    else:
        _message(survey).send()


@transaction.atomic
def survey_send(*, survey_id: int) -> str:
    """Send one due survey by its medium; idempotent (a sent survey is not sent
    again).

    Returns "sent", "not_due", "already_sent" or "no_consent" (consent withdrawn
    since the request: the survey is marked not delivered). Mail and SMS provider
    errors propagate so the task is retried.
    """
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("customer")
        .get(pk=survey_id)
    )
    if survey.status != SurveyStatus.SCHEDULED:
        return "already_sent"
    if survey.scheduled_for > now():
        return "not_due"
    if not surveys_consented(survey.customer):
        survey.status = SurveyStatus.FAILED
        survey.save(update_fields=["status", "updated_at"])
        audit_record(actor=None, action="survey.suppress", instance=survey)
        return "no_consent"
    _deliver(survey)
    survey.status = SurveyStatus.SENT
    survey.sent_at = now()
    survey.save(update_fields=["status", "sent_at", "updated_at"])
    audit_record(actor=None, action="survey.send", instance=survey)
    return "sent"
