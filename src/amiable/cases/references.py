"""Human case references such as C-2026-000123: per year, gap-tolerant, never reused."""

from __future__ import annotations

from django.db import transaction

from amiable.cases.models import CaseSequence

REFERENCE_PREFIX = "C"


def format_reference(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


@transaction.atomic
def reference_next(*, year: int) -> str:
    """Reserve the next number of ``year`` under a row lock and format it."""
    CaseSequence.objects.get_or_create(year=year)
    sequence = CaseSequence.objects.select_for_update().get(year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return format_reference(year, sequence.last_number)
