"""A customer's gestures in the export; kept on erasure for the accounts."""

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
from amiable.gestures.models.gestures import ApprovalStep, Gesture
from amiable.gestures.models.price_protection import Compensation, PromotionSuppression


def gestures_personal_export(subject: DataSubject) -> ExportPart:
    gestures = Gesture.objects.filter(customer_id__in=subject.customer_ids)
    return ExportPart(
        tables={
            "gestures": rows_of(
                gestures.order_by("requested_at", "pk"),
                ("id", "case_id", "order_id", "gesture_type__code", "value")
                + ("currency", "status", "requested_at", "applied_at"),
            ),
            "compensations": rows_of(
                Compensation.objects.filter(
                    customer_id__in=subject.customer_ids
                ).order_by("pk"),
                ("id", "order_line_id", "quantity", "unit_price_paid", "amount")
                + ("currency",),
            ),
        }
    )


@transaction.atomic
def gestures_personal_erase(subject: DataSubject) -> ErasureOutcome:
    """Gestures stay with their amounts (money given is an accounting entry); the
    internal notes and approval reasons lose what names the person."""
    gestures = Gesture.objects.filter(customer_id__in=subject.customer_ids)
    outcome = ErasureOutcome(
        changed={
            "gestures": scrub_rows(gestures, ("note",), subject),
            "approval_steps": scrub_rows(
                ApprovalStep.objects.filter(gesture__in=gestures), ("reason",), subject
            ),
            "promotion_suppressions": PromotionSuppression.objects.filter(
                customer_id__in=subject.customer_ids
            ).delete()[0],
        }
    )
    count = (
        gestures.count()
        + Compensation.objects.filter(customer_id__in=subject.customer_ids).count()
    )
    if count:
        outcome.kept.append(
            KeptRecord(
                table="gestures",
                count=count,
                reason=gettext_noop(
                    "Commercial gestures and compensations kept 10 years as "
                    "accounting entries (French commercial code art. L123-22), "
                    "with their amounts and without the person's name."
                ),
            )
        )
    return outcome


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="gestures",
            export=gestures_personal_export,
            erase=gestures_personal_erase,
            order=40,
        )
    )
