"""Full-text search over interactions (subject, text body).

SQLite: external-content FTS5 table ``interaction_fts`` over
``conversations_interaction``, kept in sync by triggers. PostgreSQL: a GIN index on
the expression ``amiable.conversations.search.POSTGRESQL_DOCUMENT`` (written out here
so this migration never changes). Nothing is created for other vendors.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE interaction_fts USING fts5(subject, body_text, "
    "content = 'conversations_interaction', content_rowid = 'id', "
    "tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO interaction_fts (interaction_fts) VALUES ('rebuild')",
    "CREATE TRIGGER interaction_fts_insert AFTER INSERT ON conversations_interaction "
    "BEGIN INSERT INTO interaction_fts (rowid, subject, body_text) "
    "VALUES (new.id, new.subject, new.body_text); END",
    "CREATE TRIGGER interaction_fts_delete AFTER DELETE ON conversations_interaction "
    "BEGIN INSERT INTO interaction_fts (interaction_fts, rowid, subject, body_text) "
    "VALUES ('delete', old.id, old.subject, old.body_text); END",
    "CREATE TRIGGER interaction_fts_update AFTER UPDATE OF subject, body_text "
    "ON conversations_interaction BEGIN "
    "INSERT INTO interaction_fts (interaction_fts, rowid, subject, body_text) "
    "VALUES ('delete', old.id, old.subject, old.body_text); "
    "INSERT INTO interaction_fts (rowid, subject, body_text) "
    "VALUES (new.id, new.subject, new.body_text); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS interaction_fts_update",
    "DROP TRIGGER IF EXISTS interaction_fts_delete",
    "DROP TRIGGER IF EXISTS interaction_fts_insert",
    "DROP TABLE IF EXISTS interaction_fts",
]
POSTGRESQL_FORWARD = [
    "CREATE INDEX interaction_fts_idx ON conversations_interaction USING gin (("
    "to_tsvector('simple', amiable_fold(subject || ' ' || left(body_text, 100000)))"
    "))",
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS interaction_fts_idx"]

FORWARD = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}
REVERSE = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}


def _runner(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0001_initial"),
        ("customers", "0002_customer_fulltext"),
    ]

    operations = [migrations.RunPython(_runner(FORWARD), _runner(REVERSE))]
