"""What the inbound channels stored about a person: raw e-mail sources, reviews,
the record of automatic replies. Exported, and erased (raw files deleted)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q

from amiable.core.personal_data import (
    TOMBSTONE,
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    rows_of,
    scrub_rows,
)
from amiable.inbound.models import AutoMessage, InboundEmail, Review


def _emails(subject: DataSubject) -> Q:
    return Q(customer_id__in=subject.customer_ids) | Q(
        sender__in=[secret for secret in subject.secrets if "@" in secret]
    )


def _auto_messages(subject: DataSubject) -> Q:
    addresses = [secret.lower() for secret in subject.secrets if "@" in secret]
    return Q(address__in=addresses + list(subject.phones))


def inbound_personal_export(subject: DataSubject) -> ExportPart:
    emails = InboundEmail.objects.filter(_emails(subject)).order_by("pk")
    rows = rows_of(
        emails,
        ("id", "received_at", "source", "sender", "subject", "status", "reason")
        + ("customer_id", "case_id", "interaction_id", "raw"),
    )
    return ExportPart(
        tables={
            "inbound_emails": rows,
            "reviews": rows_of(
                Review.objects.filter(customer_id__in=subject.customer_ids).order_by(
                    "pk"
                ),
                ("id", "platform", "external_id", "url", "rating", "author_name")
                + ("case_id", "created_at"),
            ),
            "auto_messages": rows_of(
                AutoMessage.objects.filter(_auto_messages(subject)).order_by("pk"),
                ("id", "address", "kind", "sent_at"),
            ),
        },
        files=[
            (f"inbound/{row['id']}.eml", str(row["raw"])) for row in rows if row["raw"]
        ],
    )


def inbound_personal_erase(subject: DataSubject) -> ErasureOutcome:
    """Raw sources are deleted (files and their fields); the rows keep their date,
    status and links, so the mailbox's history still counts them."""
    with transaction.atomic():
        emails = InboundEmail.objects.filter(_emails(subject))
        files = [name for name in emails.values_list("raw", flat=True) if name]
        changed = emails.exclude(raw="", sender=TOMBSTONE).update(
            raw="",
            raw_sha256="",
            identity_sha256="",
            sender=TOMBSTONE,
            subject=TOMBSTONE,
            reason="",
        )
        reviews = Review.objects.filter(customer_id__in=subject.customer_ids)
        scrubbed = scrub_rows(reviews, ("reply_draft",), subject)
        reviews.exclude(author_name=TOMBSTONE).update(author_name=TOMBSTONE, url="")
        deleted = AutoMessage.objects.filter(_auto_messages(subject)).delete()[0]
        # Deleted before the commit: a crash after it must not leave a file the
        # rows no longer name (a retry finds the rows and deletes again).
        storage = InboundEmail._meta.get_field("raw").storage
        for name in files:
            storage.delete(name)
    return ErasureOutcome(
        changed={
            "inbound_emails": changed,
            "reviews": scrubbed,
            "auto_messages": deleted,
        }
    )


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="inbound",
            export=inbound_personal_export,
            erase=inbound_personal_erase,
            order=60,
        )
    )
