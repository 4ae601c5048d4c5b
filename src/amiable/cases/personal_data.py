"""A customer's cases in the export, and their erasure (the cases stay, anonymised)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from amiable.cases.models import Case, CaseFieldValue, CaseTag, CustomFieldKind
from amiable.cases.models.costs import CaseCost
from amiable.cases.models.escalation import CaseEscalation
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


def cases_personal_export(subject: DataSubject) -> ExportPart:
    cases = Case.objects.filter(customer_id__in=subject.customer_ids)
    return ExportPart(
        tables={
            "cases": rows_of(
                cases.order_by("pk"),
                ("id", "reference", "customer_id", "subject", "kind", "category")
                + ("priority", "status", "channel", "opened_at", "resolved_at")
                + ("closed_at", "resolution_summary", "created_at"),
            ),
            "case_costs": rows_of(
                CaseCost.objects.filter(case__in=cases).order_by("pk"),
                ("id", "case_id", "kind", "amount", "currency", "description"),
            ),
            "case_escalations": rows_of(
                CaseEscalation.objects.filter(case__in=cases).order_by("pk"),
                ("id", "case_id", "reason", "source"),
            ),
            "case_tags": rows_of(
                CaseTag.objects.filter(case__in=cases).order_by("pk"),
                ("case_id", "tag__name", "added_at"),
            ),
            "case_custom_fields": rows_of(
                CaseFieldValue.objects.filter(case__in=cases).order_by("pk"),
                ("case_id", "field__key", "value"),
            ),
        }
    )


@transaction.atomic
def cases_personal_erase(subject: DataSubject) -> ErasureOutcome:
    cases = Case.objects.filter(customer_id__in=subject.customer_ids)
    outcome = ErasureOutcome()
    outcome.changed["cases"] = scrub_rows(
        cases, ("subject", "resolution_summary"), subject
    )
    outcome.changed["case_escalations"] = scrub_rows(
        CaseEscalation.objects.filter(case__in=cases), ("reason",), subject
    )
    # Free text typed by an agent may name the person; numbers, dates and
    # choices are the administrator's vocabulary.
    outcome.changed["case_custom_fields"] = scrub_rows(
        CaseFieldValue.objects.filter(case__in=cases, field__kind=CustomFieldKind.TEXT),
        ("value",),
        subject,
    )
    costs = CaseCost.objects.filter(case__in=cases)
    outcome.changed["case_costs"] = scrub_rows(costs, ("description",), subject)
    count = costs.count()
    if count:
        outcome.kept.append(
            KeptRecord(
                table="case_costs",
                count=count,
                reason=gettext_noop(
                    "Costs of the cases kept for the accounts (10 years, French "
                    "commercial code art. L123-22), without the person's name."
                ),
            )
        )
    if count := cases.count():
        outcome.kept.append(
            KeptRecord(
                table="cases",
                count=count,
                reason=gettext_noop(
                    "Cases kept without the person's name for the service "
                    "statistics: reference, dates, category and status."
                ),
            )
        )
    return outcome


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="cases",
            export=cases_personal_export,
            erase=cases_personal_erase,
            order=30,
        )
    )
