"""Full-text search over customers: name, company name and identities' values.

SQLite: the FTS5 table ``customer_fts`` (rowid = customer id); PostgreSQL: the table
``customers_customer_search`` (customer id, tsvector) with a GIN index. Both are kept
in sync by the triggers of ``customers.0002_customer_fulltext`` on customers and on
identities (added, changed, moved by a merge, removed).
"""

from __future__ import annotations

from django.db.models import QuerySet

from amiable.core.fulltext import filter_by_match, matching_ids
from amiable.customers.models import Customer

SQLITE_MATCH = "SELECT rowid FROM customer_fts WHERE customer_fts MATCH %s"
POSTGRESQL_MATCH = (
    "SELECT customer_id FROM customers_customer_search WHERE document @@ {query}"
)


def customer_search_filter(
    queryset: QuerySet[Customer], text: str
) -> QuerySet[Customer]:
    """Narrow ``queryset`` to customers matching every term of ``text``."""
    ids = matching_ids(
        sqlite_sql=SQLITE_MATCH, postgresql_sql=POSTGRESQL_MATCH, text=text
    )
    return filter_by_match(queryset, ids)
