"""Domain events that copied a person's details into their payload: scrubbed on
erasure."""

from __future__ import annotations

from django.db import transaction

from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    scrub_mentions,
)
from amiable.events.models import DomainEvent


def events_personal_export(subject: DataSubject) -> ExportPart:
    """Nothing of the person's own: events are the system's own messages."""
    return ExportPart()


@transaction.atomic
def events_personal_erase(subject: DataSubject) -> ErasureOutcome:
    changed = scrub_mentions(DomainEvent.objects.all(), ("payload",), subject)
    return ErasureOutcome(changed={"domain_events": changed})


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="events",
            export=events_personal_export,
            erase=events_personal_erase,
            order=810,
        )
    )
