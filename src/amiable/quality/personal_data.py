"""A customer's resolution confirmations in the export, and their erasure."""

from __future__ import annotations

from django.db import transaction

from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    rows_of,
    scrub_rows,
)
from amiable.quality.models import ResolutionConfirmation


def quality_personal_export(subject: DataSubject) -> ExportPart:
    rows = ResolutionConfirmation.objects.filter(customer_id__in=subject.customer_ids)
    return ExportPart(
        tables={
            "resolution_confirmations": rows_of(
                rows.order_by("pk"),
                ("id", "case_id", "status", "first_contact", "comment", "created_at"),
            )
        }
    )


@transaction.atomic
def quality_personal_erase(subject: DataSubject) -> ErasureOutcome:
    rows = ResolutionConfirmation.objects.filter(customer_id__in=subject.customer_ids)
    return ErasureOutcome(
        changed={"resolution_confirmations": scrub_rows(rows, ("comment",), subject)}
    )


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="quality",
            export=quality_personal_export,
            erase=quality_personal_erase,
            order=55,
        )
    )
