"""A customer's disputes in the export; kept on erasure (legal defence)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    KeptRecord,
    PersonalDataSection,
    personal_data_register,
    rows_of,
    scrub_rows,
)
from amiable.disputes.models import Dispute, Proposal


def disputes_personal_export(subject: DataSubject) -> ExportPart:
    disputes = Dispute.objects.filter(case__customer_id__in=subject.customer_ids)
    return ExportPart(
        tables={
            "disputes": rows_of(
                disputes.order_by("pk"),
                ("id", "case_id", "stage", "written_complaint_at", "referred_at")
                + ("outcome", "outcome_at", "outcome_summary"),
            ),
            "proposals": rows_of(
                Proposal.objects.filter(dispute__in=disputes).order_by("pk"),
                ("id", "dispute_id", "made_by", "description", "response")
                + ("response_note",),
            ),
        }
    )


@transaction.atomic
def disputes_personal_erase(subject: DataSubject) -> ErasureOutcome:
    """Dispute records stay (dates, stages, outcome): they prove what was done
    until the limitation period ends; their texts lose the person's name."""
    disputes = Dispute.objects.filter(case__customer_id__in=subject.customer_ids)
    outcome = ErasureOutcome(
        changed={
            "disputes": scrub_rows(
                disputes, ("outcome_summary", "extension_reason"), subject
            ),
            "proposals": scrub_rows(
                Proposal.objects.filter(dispute__in=disputes),
                ("description", "response_note"),
                subject,
            ),
        }
    )
    if count := disputes.count():
        outcome.kept.append(
            KeptRecord(
                table="disputes",
                count=count,
                reason=gettext_noop(
                    "Dispute records kept until the limitation period ends (5 "
                    "years, French civil code art. 2224) to defend the company's "
                    "rights, without the person's name."
                ),
            )
        )
    return outcome


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="disputes",
            export=disputes_personal_export,
            erase=disputes_personal_erase,
            order=45,
        )
    )
