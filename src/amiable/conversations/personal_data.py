"""A customer's messages and their attachments in the export, and their erasure."""

from __future__ import annotations

from django.db import transaction

from amiable.conversations.models import Attachment, Interaction
from amiable.core.personal_data import (
    TOMBSTONE,
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    rows_of,
)

INTERACTION_FIELDS = (
    "id",
    "customer_id",
    "case_id",
    "channel",
    "direction",
    "occurred_at",
    "subject",
    "body_text",
    "language",
    "external_id",
    "message_id",
    "metadata",
)


def conversations_personal_export(subject: DataSubject) -> ExportPart:
    interactions = Interaction.objects.filter(
        customer_id__in=subject.customer_ids
    ).order_by("occurred_at", "pk")
    attachments = Attachment.objects.filter(
        interaction__customer_id__in=subject.customer_ids
    ).order_by("pk")
    attachment_rows = rows_of(
        attachments,
        ("id", "interaction_id", "filename", "content_type", "size", "sha256", "file"),
    )
    files = [
        (
            f"attachments/{row['id']}-{_safe_name(str(row['filename']))}",
            str(row["file"]),
        )
        for row in attachment_rows
        if row["file"]
    ]
    return ExportPart(
        tables={
            "interactions": rows_of(interactions, INTERACTION_FIELDS),
            "attachments": attachment_rows,
        },
        files=files,
    )


def _safe_name(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)
    return cleaned.strip("._")[:100] or "file"


def conversations_personal_erase(subject: DataSubject) -> ErasureOutcome:
    """Messages keep their date, channel and direction (the case's history and
    statistics); their text, headers and attachments go, files included unless
    another person's message holds the same file."""
    ids = subject.customer_ids
    outcome = ErasureOutcome()
    with transaction.atomic():
        attachments = list(
            Attachment.objects.filter(interaction__customer_id__in=ids).values_list(
                "pk", "file"
            )
        )
        names = {name for _pk, name in attachments if name}
        shared = set(
            Attachment.objects.filter(file__in=names)
            .exclude(interaction__customer_id__in=ids)
            .values_list("file", flat=True)
        )
        outcome.changed["attachments"] = Attachment.objects.filter(
            pk__in=[pk for pk, _name in attachments]
        ).delete()[0]
        outcome.changed["interactions"] = (
            Interaction.objects.filter(customer_id__in=ids)
            .exclude(subject=TOMBSTONE, body_text=TOMBSTONE)
            .update(
                subject=TOMBSTONE,
                body_text=TOMBSTONE,
                body_html="",
                external_id="",
                message_id="",
                metadata={},
            )
        )
        # Deleted before the commit: a crash after it must not leave a file no row
        # names any more (a retry finds the rows again and deletes again).
        storage = Attachment._meta.get_field("file").storage
        for name in sorted(names - shared):
            storage.delete(name)
    return outcome


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="conversations",
            export=conversations_personal_export,
            erase=conversations_personal_erase,
            order=20,
        )
    )
