"""The customer's own rows in the subject access export and their erasure."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_noop

from amiable.core.personal_data import (
    TOMBSTONE,
    DataSubject,
    ErasureOutcome,
    ExportPart,
    KeptRecord,
    PersonalDataSection,
    personal_data_register,
    rows_of,
)
from amiable.customers.models import (
    Address,
    Consent,
    Customer,
    CustomerMerge,
    Identity,
    PersonalFact,
)

CUSTOMER_FIELDS = (
    "id",
    "kind",
    "name",
    "company_name",
    "preferred_language",
    "customer_since",
    "status",
    "merged_into_id",
    "tier",
    "notes",
    "created_at",
    "updated_at",
)


def customers_personal_export(subject: DataSubject) -> ExportPart:
    ids = subject.customer_ids
    return ExportPart(
        tables={
            "customers": rows_of(
                Customer.objects.filter(pk__in=ids).order_by("pk"), CUSTOMER_FIELDS
            ),
            "identities": rows_of(
                Identity.objects.filter(customer_id__in=ids).order_by("pk"),
                ("id", "customer_id", "kind", "value", "normalized", "platform"),
            ),
            "addresses": rows_of(
                Address.objects.filter(customer_id__in=ids).order_by("pk"),
                ("id", "customer_id", "label", "line1", "line2", "postal_code", "city")
                + ("country",),
            ),
            "consents": rows_of(
                Consent.objects.filter(customer_id__in=ids).order_by("pk"),
                ("id", "customer_id", "purpose", "is_granted", "recorded_at", "source")
                + ("note",),
            ),
            "personal_facts": rows_of(
                PersonalFact.objects.filter(customer_id__in=ids).order_by("pk"),
                ("id", "customer_id", "category", "value", "purpose", "source")
                + ("noted_on",),
            ),
            "tags": [
                {"customer_id": customer_id, "tag": name}
                for customer_id, name in Customer.tags.through.objects.filter(
                    customer_id__in=ids
                )
                .order_by("pk")
                .values_list("customer_id", "tag__name")
            ],
        }
    )


@transaction.atomic
def customers_personal_erase(subject: DataSubject) -> ErasureOutcome:
    """Identities, addresses, consents and facts go; the customer row stays, named
    ``TOMBSTONE``, because orders and cases kept for the law point at it."""
    ids = subject.customer_ids
    outcome = ErasureOutcome()
    outcome.changed["identities"] = Identity.objects.filter(
        customer_id__in=ids
    ).delete()[0]
    outcome.changed["addresses"] = Address.objects.filter(customer_id__in=ids).delete()[
        0
    ]
    outcome.changed["consents"] = Consent.objects.filter(customer_id__in=ids).delete()[
        0
    ]
    outcome.changed["personal_facts"] = PersonalFact.objects.filter(
        customer_id__in=ids
    ).delete()[0]
    Customer.tags.through.objects.filter(customer_id__in=ids).delete()
    outcome.changed["customers"] = (
        Customer.objects.filter(pk__in=ids)
        .exclude(name=TOMBSTONE, company_name="", notes="")
        .update(name=TOMBSTONE, company_name="", notes="")
    )
    for merge in CustomerMerge.objects.filter(source_id__in=ids):
        moved = subject.scrub(merge.moved)
        if moved != merge.moved:
            merge.moved = moved
            merge.save(update_fields=["moved"])
    outcome.kept.append(
        KeptRecord(
            table="customers",
            count=len(ids),
            reason=gettext_noop(
                "Customer row kept without any name or contact: orders, gestures "
                "and dispute records kept for the law point at it."
            ),
        )
    )
    return outcome


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="customers",
            export=customers_personal_export,
            erase=customers_personal_erase,
            order=900,  # last: the others find the person's rows through it
        )
    )
