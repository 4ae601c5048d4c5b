"""Full-text search over customers (name, company, identities)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from amiable.customers.models import Customer


def customer_search_filter(
    queryset: QuerySet[Customer], text: str
) -> QuerySet[Customer]:
    term = text.strip()
    return queryset.filter(
        Q(name__icontains=term)
        | Q(company_name__icontains=term)
        | Q(identities__normalized__icontains=term.lower())
    ).distinct()
