"""Full-text search over interactions (subject and text)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from amiable.conversations.models import Interaction


def interaction_search_filter(
    queryset: QuerySet[Interaction], text: str
) -> QuerySet[Interaction]:
    term = text.strip()
    return queryset.filter(Q(subject__icontains=term) | Q(body_text__icontains=term))
