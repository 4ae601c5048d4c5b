"""Feedback services: asking for a survey (with throttling, consent and quiet hours),
sending it, recording its one answer and closing the loop with a follow-up case."""

from amiable.feedback.services.answering import survey_answer
from amiable.feedback.services.requesting import (
    SkipReason,
    SurveyRequestOutcome,
    feedback_settings_get,
    survey_request,
)
from amiable.feedback.services.scanning import ScanSummary, survey_scan
from amiable.feedback.services.sending import survey_send

__all__ = [
    "ScanSummary",
    "SkipReason",
    "SurveyRequestOutcome",
    "feedback_settings_get",
    "survey_answer",
    "survey_request",
    "survey_scan",
    "survey_send",
]
