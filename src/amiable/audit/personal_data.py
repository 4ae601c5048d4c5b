"""Audit lines about a person: exported, and scrubbed of their names on erasure.

The lines stay (who did what, when), their old and new values lose the person's
names, e-mails, phones and addresses."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_noop

from amiable.audit.models import AuditEvent
from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    KeptRecord,
    PersonalDataSection,
    personal_data_register,
    rows_of,
    scrub_mentions,
    scrub_rows,
)

CUSTOMER_TYPES = ("customers.customer",)


def _about(subject: DataSubject) -> Q:
    return Q(
        object_type__in=CUSTOMER_TYPES,
        object_id__in=[str(pk) for pk in subject.customer_ids],
    )


def audit_personal_export(subject: DataSubject) -> ExportPart:
    rows = AuditEvent.objects.filter(_about(subject)).order_by("pk")
    return ExportPart(
        tables={
            "audit_events": rows_of(
                rows[:10_000],
                (
                    "id",
                    "occurred_at",
                    "action",
                    "object_type",
                    "object_id",
                    "before",
                    "after",
                ),
            )
        }
    )


@transaction.atomic
def audit_personal_erase(subject: DataSubject) -> ErasureOutcome:
    outcome = ErasureOutcome()
    own = AuditEvent.objects.filter(_about(subject))
    changed = scrub_rows(own, ("before", "after"), subject)
    changed += scrub_mentions(
        AuditEvent.objects.exclude(_about(subject)), ("before", "after"), subject
    )
    outcome.changed["audit_events"] = changed
    if count := own.count():
        outcome.kept.append(
            KeptRecord(
                table="audit_events",
                count=count,
                reason=gettext_noop(
                    "Audit lines kept as proof of who did what and when (security "
                    "of processing, GDPR art. 32), their values without the person."
                ),
            )
        )
    return outcome


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="audit",
            export=audit_personal_export,
            erase=audit_personal_erase,
            order=800,
        )
    )
