"""Keyset pages in API responses, and checked sort parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from django.db import models
from django.utils.translation import gettext as _

from amiable.core.errors import ValidationError
from amiable.core.pagination import paginate

ModelT = TypeVar("ModelT", bound=models.Model)


def sort_fields(
    sort: str, sorts: Mapping[str, Sequence[str]], default: str
) -> Sequence[str]:
    """The ordering of ``sort`` (a key of ``sorts``); 422 for an unknown one."""
    key = sort or default
    if key not in sorts:
        raise ValidationError(
            _("Unknown sort order."),
            fields={"sort": [_("Use one of: %(sorts)s") % {"sorts": ", ".join(sorts)}]},
        )
    return sorts[key]


def page_of(
    queryset: models.QuerySet[ModelT],
    *,
    ordering: Sequence[str],
    limit: int,
    cursor: str | None,
) -> dict[str, Any]:
    """One page as the ``{"items", "next_cursor", "previous_cursor"}`` body."""
    page = paginate(queryset, ordering=ordering, limit=limit, cursor=cursor or None)
    return {
        "items": page.items,
        "next_cursor": page.next_cursor,
        "previous_cursor": page.previous_cursor,
    }
