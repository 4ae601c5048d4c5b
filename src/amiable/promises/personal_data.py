"""A customer's promises in the export, and their erasure."""

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
from amiable.promises.models import Promise, PromiseTransition


def promises_personal_export(subject: DataSubject) -> ExportPart:
    promises = Promise.objects.filter(customer_id__in=subject.customer_ids)
    return ExportPart(
        tables={
            "promises": rows_of(
                promises.order_by("pk"),
                ("id", "case_id", "order_id", "kind", "description", "state")
                + ("due_at", "created_at"),
            ),
            "promise_transitions": rows_of(
                PromiseTransition.objects.filter(promise__in=promises).order_by("pk"),
                ("id", "promise_id", "from_state", "to_state", "reason", "occurred_at"),
            ),
        }
    )


@transaction.atomic
def promises_personal_erase(subject: DataSubject) -> ErasureOutcome:
    promises = Promise.objects.filter(customer_id__in=subject.customer_ids)
    return ErasureOutcome(
        changed={
            "promises": scrub_rows(promises, ("description", "evidence"), subject),
            "promise_transitions": scrub_rows(
                PromiseTransition.objects.filter(promise__in=promises),
                ("reason",),
                subject,
            ),
        }
    )


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="promises",
            export=promises_personal_export,
            erase=promises_personal_erase,
            order=35,
        )
    )
