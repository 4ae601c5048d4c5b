"""Full-text search over cases (subject, reference, customer name)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from amiable.cases.models import Case


def case_search_filter(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Narrow ``queryset`` to cases matching ``text``."""
    term = text.strip()
    return queryset.filter(
        Q(reference__iexact=term)
        | Q(subject__icontains=term)
        | Q(customer__name__icontains=term)
    )
