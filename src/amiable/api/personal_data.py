"""Stored API answers (replayed for a repeated Idempotency-Key) that hold a
person's details: scrubbed on erasure."""

from __future__ import annotations

from django.db import transaction

from amiable.api.models import IdempotencyRecord
from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    scrub_mentions,
)


def api_personal_export(subject: DataSubject) -> ExportPart:
    """Nothing of the person's own: stored answers are copies of rows exported by
    their own apps."""
    return ExportPart()


@transaction.atomic
def api_personal_erase(subject: DataSubject) -> ErasureOutcome:
    changed = scrub_mentions(
        IdempotencyRecord.objects.all(), ("response_body",), subject
    )
    return ErasureOutcome(changed={"idempotency_records": changed})


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="api",
            export=api_personal_export,
            erase=api_personal_erase,
            order=830,
        )
    )
