"""Full-text search over cases: reference, subject and the customer's names.

SQLite: the FTS5 table ``case_fts`` (rowid = case id); PostgreSQL: the table
``cases_case_search`` (case id, tsvector) with a GIN index. Both are kept in sync by
the triggers of ``cases.0002_case_fulltext``, including when the customer is renamed
or a case moves to another customer (merge).
"""

from __future__ import annotations

from django.db.models import QuerySet

from amiable.cases.models import Case
from amiable.core.fulltext import filter_by_match, matching_ids

SQLITE_MATCH = "SELECT rowid FROM case_fts WHERE case_fts MATCH %s"
POSTGRESQL_MATCH = "SELECT case_id FROM cases_case_search WHERE document @@ {query}"


def case_search_filter(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Narrow ``queryset`` to cases matching every term of ``text`` (AND, ``x*``
    prefixes); text without any word matches nothing. Never raises on odd input."""
    ids = matching_ids(
        sqlite_sql=SQLITE_MATCH, postgresql_sql=POSTGRESQL_MATCH, text=text
    )
    return filter_by_match(queryset, ids)
