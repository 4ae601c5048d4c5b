"""Staff notifications that quote a person (a case subject, a name): scrubbed on
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
from amiable.notifications.models import Notification


def notifications_personal_export(subject: DataSubject) -> ExportPart:
    """Nothing of the person's own: notifications are written to staff."""
    return ExportPart()


@transaction.atomic
def notifications_personal_erase(subject: DataSubject) -> ErasureOutcome:
    changed = scrub_mentions(Notification.objects.all(), ("title", "body"), subject)
    return ErasureOutcome(changed={"notifications": changed})


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="notifications",
            export=notifications_personal_export,
            erase=notifications_personal_erase,
            order=820,
        )
    )
