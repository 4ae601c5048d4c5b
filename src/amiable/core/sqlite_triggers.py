"""Keeping SQLite's triggers through migrations that rebuild a table.

SQLite cannot add a NOT NULL column or change a constraint in place: Django copies
the table into a new one, drops the old one and renames the copy. Triggers on the old
table vanish with it (the full-text triggers of customers, cases and interactions),
and a trigger elsewhere that names it makes the rename fail ("error in trigger …: no
such table"). Wrap such operations in ``keep_sqlite_triggers``::

    operations = keep_sqlite_triggers(
        migrations.AddField("case", "reopened_count", ...),
    )

On SQLite every trigger is saved and dropped first, then recreated from its own SQL
after the operations; on other databases the operations run unchanged.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations
from django.db.migrations.operations.base import Operation

_SAVED: dict[str, list[tuple[str, str]]] = {}


def _save_and_drop(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
        )
        triggers = [(name, sql) for name, sql in cursor.fetchall() if sql]
    _SAVED[connection.alias] = triggers
    for name, _sql in triggers:
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}"', params=None)


def _recreate(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    for _name, sql in _SAVED.pop(connection.alias, []):
        schema_editor.execute(sql, params=None)


def keep_sqlite_triggers(*operations: Operation) -> list[Operation]:
    """``operations`` between saving every SQLite trigger and recreating it."""
    return [
        migrations.RunPython(_save_and_drop, _recreate, elidable=False),
        *operations,
        migrations.RunPython(_recreate, _save_and_drop, elidable=False),
    ]
