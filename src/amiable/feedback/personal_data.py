"""A customer's survey answers in the export, and their erasure."""

from __future__ import annotations

from django.db import transaction

from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    rows_of,
)
from amiable.feedback.models import Survey, SurveyResponse


def feedback_personal_export(subject: DataSubject) -> ExportPart:
    surveys = Survey.objects.filter(customer_id__in=subject.customer_ids)
    return ExportPart(
        tables={
            "surveys": rows_of(
                surveys.order_by("pk"),
                ("id", "kind", "status", "language", "medium", "email", "phone")
                + ("case_id", "order_id", "created_at"),
            ),
            "survey_responses": rows_of(
                SurveyResponse.objects.filter(survey__in=surveys).order_by("pk"),
                ("id", "survey_id", "score", "comment", "created_at"),
            ),
        }
    )


@transaction.atomic
def feedback_personal_erase(subject: DataSubject) -> ErasureOutcome:
    """Scores stay for the satisfaction statistics; the comment, and where the
    survey was sent, go."""
    surveys = Survey.objects.filter(customer_id__in=subject.customer_ids)
    responses = SurveyResponse.objects.filter(survey__in=surveys)
    return ErasureOutcome(
        changed={
            "surveys": surveys.exclude(email="", phone="").update(email="", phone=""),
            "survey_responses": responses.exclude(comment="").update(comment=""),
        }
    )


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="feedback",
            export=feedback_personal_export,
            erase=feedback_personal_erase,
            order=50,
        )
    )
