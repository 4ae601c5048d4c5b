"""Full-text search over interactions: subject and text body.

SQLite: the external-content FTS5 table ``interaction_fts`` over
``conversations_interaction``; PostgreSQL: a GIN expression index on
``POSTGRESQL_DOCUMENT``. Created by ``conversations.0002_interaction_fulltext``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from amiable.conversations.models import Interaction
from amiable.core.fulltext import filter_by_match, matching_ids

# Must stay identical to the expression of the index ``interaction_fts_idx``.
POSTGRESQL_DOCUMENT = (
    "to_tsvector('simple', amiable_fold(subject || ' ' || left(body_text, 100000)))"
)
SQLITE_MATCH = "SELECT rowid FROM interaction_fts WHERE interaction_fts MATCH %s"
# Constant SQL (no user input); the tsquery is bound as parameters.
POSTGRESQL_MATCH = (
    "SELECT id FROM conversations_interaction WHERE "  # noqa: S608
    + POSTGRESQL_DOCUMENT
    + " @@ {query}"
)


def interaction_search_filter(
    queryset: QuerySet[Interaction], text: str
) -> QuerySet[Interaction]:
    """Narrow ``queryset`` to interactions matching every term of ``text``."""
    ids = matching_ids(
        sqlite_sql=SQLITE_MATCH, postgresql_sql=POSTGRESQL_MATCH, text=text
    )
    return filter_by_match(queryset, ids)
