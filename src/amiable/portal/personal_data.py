"""The portal's records of a person: sign-in codes and link revocations. Exported;
on erasure the codes go and every link and session of theirs stops working."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q

from amiable.core.clock import now
from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    rows_of,
)
from amiable.portal.models import PortalAccess, PortalCode


def _codes(subject: DataSubject) -> Q:
    emails = [secret.lower() for secret in subject.secrets if "@" in secret]
    return Q(customer_id__in=subject.customer_ids) | Q(email__in=emails)


def portal_personal_export(subject: DataSubject) -> ExportPart:
    return ExportPart(
        tables={
            "portal_codes": rows_of(
                PortalCode.objects.filter(_codes(subject)).order_by("pk"),
                ("id", "email", "created_at", "expires_at", "used_at")
                + ("requested_from",),
            ),
            "portal_access": rows_of(
                PortalAccess.objects.filter(customer_id__in=subject.customer_ids),
                ("customer_id", "links_generation", "revoked_at"),
            ),
        }
    )


@transaction.atomic
def portal_personal_erase(subject: DataSubject) -> ErasureOutcome:
    deleted = PortalCode.objects.filter(_codes(subject)).delete()[0]
    for customer_id in subject.customer_ids:
        PortalAccess.objects.get_or_create(customer_id=customer_id)
    revoked = PortalAccess.objects.filter(customer_id__in=subject.customer_ids).update(
        links_generation=F("links_generation") + 1, revoked_at=now()
    )
    return ErasureOutcome(changed={"portal_codes": deleted, "portal_access": revoked})


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="portal",
            export=portal_personal_export,
            erase=portal_personal_erase,
            order=70,
        )
    )
