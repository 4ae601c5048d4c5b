"""Full-text search over cases (reference, subject, the customer's names).

SQLite: FTS5 table ``case_fts`` (rowid = case id). PostgreSQL: table
``cases_case_search`` (tsvector, GIN index). Both kept in sync by triggers on cases
and on customers (a rename reaches every case of the customer). Nothing is created
for other vendors.
"""

from django.db import migrations

CUSTOMER_OF = (
    "(SELECT cu.name || ' ' || cu.company_name FROM customers_customer cu "
    "WHERE cu.id = {id})"
)

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE case_fts USING fts5("
    "reference, subject, customer, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO case_fts (rowid, reference, subject, customer) "
    "SELECT c.id, c.reference, c.subject, cu.name || ' ' || cu.company_name "
    "FROM cases_case c JOIN customers_customer cu ON cu.id = c.customer_id",
    "CREATE TRIGGER case_fts_insert AFTER INSERT ON cases_case BEGIN "
    "INSERT INTO case_fts (rowid, reference, subject, customer) VALUES "
    f"(new.id, new.reference, new.subject, {CUSTOMER_OF.format(id='new.customer_id')});"
    " END",
    "CREATE TRIGGER case_fts_update AFTER UPDATE OF reference, subject, customer_id "
    "ON cases_case WHEN old.reference IS NOT new.reference "
    "OR old.subject IS NOT new.subject OR old.customer_id IS NOT new.customer_id "
    "BEGIN UPDATE case_fts SET reference = new.reference, subject = new.subject, "
    f"customer = {CUSTOMER_OF.format(id='new.customer_id')} WHERE rowid = new.id; END",
    "CREATE TRIGGER case_fts_delete AFTER DELETE ON cases_case BEGIN "
    "DELETE FROM case_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER case_fts_customer_update AFTER UPDATE OF name, company_name "
    "ON customers_customer WHEN old.name IS NOT new.name "
    "OR old.company_name IS NOT new.company_name BEGIN "
    "UPDATE case_fts SET customer = new.name || ' ' || new.company_name "
    "WHERE rowid IN (SELECT id FROM cases_case WHERE customer_id = new.id); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS case_fts_customer_update",
    "DROP TRIGGER IF EXISTS case_fts_delete",
    "DROP TRIGGER IF EXISTS case_fts_update",
    "DROP TRIGGER IF EXISTS case_fts_insert",
    "DROP TABLE IF EXISTS case_fts",
]

POSTGRESQL_FORWARD = [
    "CREATE TABLE cases_case_search ("
    "case_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX cases_case_search_idx ON cases_case_search USING gin (document)",
    "CREATE FUNCTION cases_case_document(text, text, bigint) RETURNS tsvector "
    "LANGUAGE sql STABLE AS $$ SELECT to_tsvector('simple', amiable_fold("
    "$1 || ' ' || $2 || ' ' || coalesce(" + CUSTOMER_OF.format(id="$3") + ", ''))) $$",
    "INSERT INTO cases_case_search (case_id, document) "
    "SELECT c.id, to_tsvector('simple', amiable_fold(c.reference || ' ' || "
    "c.subject || ' ' || cu.name || ' ' || cu.company_name)) "
    "FROM cases_case c JOIN customers_customer cu ON cu.id = c.customer_id",
    "CREATE FUNCTION cases_case_search_sync() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN "
    "DELETE FROM cases_case_search WHERE case_id = OLD.id; "
    "ELSE INSERT INTO cases_case_search (case_id, document) VALUES (NEW.id, "
    "cases_case_document(NEW.reference, NEW.subject, NEW.customer_id)) "
    "ON CONFLICT (case_id) DO UPDATE SET document = EXCLUDED.document; END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER cases_case_search_write AFTER INSERT OR DELETE ON cases_case "
    "FOR EACH ROW EXECUTE FUNCTION cases_case_search_sync()",
    "CREATE TRIGGER cases_case_search_change "
    "AFTER UPDATE OF reference, subject, customer_id ON cases_case FOR EACH ROW "
    "WHEN (OLD.reference IS DISTINCT FROM NEW.reference "
    "OR OLD.subject IS DISTINCT FROM NEW.subject "
    "OR OLD.customer_id IS DISTINCT FROM NEW.customer_id) "
    "EXECUTE FUNCTION cases_case_search_sync()",
    "CREATE FUNCTION cases_case_search_customer_sync() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE cases_case_search s SET document = "
    "cases_case_document(c.reference, c.subject, c.customer_id) "
    "FROM cases_case c WHERE c.customer_id = NEW.id AND s.case_id = c.id; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER cases_case_search_customer_change "
    "AFTER UPDATE OF name, company_name ON customers_customer FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name "
    "OR OLD.company_name IS DISTINCT FROM NEW.company_name) "
    "EXECUTE FUNCTION cases_case_search_customer_sync()",
    "CREATE FUNCTION cases_case_search_truncate() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN TRUNCATE cases_case_search; RETURN NULL; END $$",
    "CREATE TRIGGER cases_case_search_truncate AFTER TRUNCATE ON cases_case "
    "FOR EACH STATEMENT EXECUTE FUNCTION cases_case_search_truncate()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_case_search_truncate ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_search_customer_change ON customers_customer",
    "DROP TRIGGER IF EXISTS cases_case_search_change ON cases_case",
    "DROP TRIGGER IF EXISTS cases_case_search_write ON cases_case",
    "DROP FUNCTION IF EXISTS cases_case_search_truncate()",
    "DROP FUNCTION IF EXISTS cases_case_search_customer_sync()",
    "DROP FUNCTION IF EXISTS cases_case_search_sync()",
    "DROP FUNCTION IF EXISTS cases_case_document(text, text, bigint)",
    "DROP TABLE IF EXISTS cases_case_search",
]

FORWARD = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}
REVERSE = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}


def _runner(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("customers", "0002_customer_fulltext"),
    ]

    operations = [migrations.RunPython(_runner(FORWARD), _runner(REVERSE))]
