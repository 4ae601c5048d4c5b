"""Human case references such as C-2026-000123: per year, gap-tolerant, never reused."""

from __future__ import annotations

from django.db import connection

REFERENCE_PREFIX = "C"


def format_reference(year: int, number: int) -> str:
    return f"{REFERENCE_PREFIX}-{year}-{number:06d}"


# One statement: create the year's row or bump it (the table of ``CaseSequence``).
NEXT_NUMBER_SQL = (
    "INSERT INTO cases_casesequence (year, last_number) VALUES (%s, 1) "
    "ON CONFLICT (year) DO UPDATE SET "
    "last_number = cases_casesequence.last_number + 1 "
    "RETURNING last_number"
)


def reference_next(*, year: int) -> str:
    """Reserve the next number of ``year`` and format it: one upsert that creates
    the year's row or bumps it, holding its row lock until the caller's transaction
    ends (SQLite 3.35+ and PostgreSQL both take ``ON CONFLICT … RETURNING``).
    Call it inside the transaction that stores the case."""
    with connection.cursor() as cursor:
        cursor.execute(NEXT_NUMBER_SQL, [year])
        row = cursor.fetchone()
    return format_reference(year, int(row[0]))
