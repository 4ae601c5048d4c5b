"""Row locks that hold until the end of the current transaction, on both databases.

PostgreSQL takes ``SELECT … FOR UPDATE`` on the rows: a second transaction that asks
for the same rows waits until the first commits or rolls back, then reads what it
wrote. SQLite has no row locks; our settings open every transaction with
``BEGIN IMMEDIATE`` (``transaction_mode``), so a transaction holds the database's
write lock from its first statement and writers run one after the other: whatever a
transaction reads after its ``BEGIN`` is already what the previous writer committed.

Either way the check that follows the lock must run in the same transaction: outside
an atomic block the lock would be released at once, so it raises instead.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet


def rows_lock(queryset: QuerySet[Any]) -> None:
    """Lock the rows of ``queryset`` (their table only) until the transaction ends,
    in primary-key order (two callers locking the same rows never deadlock).

    Raises RuntimeError when called outside ``transaction.atomic``.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("rows_lock() holds nothing outside transaction.atomic")
    if connection.vendor == "sqlite" and (
        connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
        != "IMMEDIATE"
    ):
        # A deferred transaction reads before it holds the write lock.
        raise RuntimeError("rows_lock() needs SQLite's transaction_mode IMMEDIATE")
    list(
        queryset.select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def write_lock_held() -> bool:
    """True when the current transaction holds the whole database's write lock
    (SQLite with ``BEGIN IMMEDIATE``, inside an atomic block): whatever it read
    since it began is the stored state, no row lock needed. Never on PostgreSQL."""
    return (
        connection.vendor == "sqlite"
        and connection.in_atomic_block
        and connection.settings_dict.get("OPTIONS", {}).get("transaction_mode")
        == "IMMEDIATE"
    )
