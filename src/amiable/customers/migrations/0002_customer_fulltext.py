"""Full-text search over customers (name, company, identities' normalised values).

SQLite: FTS5 table ``customer_fts`` (rowid = customer id) kept in sync by triggers on
customers and identities. PostgreSQL: the immutable ``amiable_fold`` function used by
every search document (lower case, Latin accents stripped, ASCII punctuation to
spaces) and the table ``customers_customer_search`` (tsvector, GIN index) kept in sync
by triggers. Nothing is created for other vendors.
"""

from django.db import migrations

FOLD_FROM = (
    "àáâãäåāăąçćčďđèéêëēėęěìíîïīįıłñńňòóôõöøōőŕřśšşșťțùúûüūůűųýÿźżž"
    "ÀÁÂÃÄÅĀĂĄÇĆČĎĐÈÉÊËĒĖĘĚÌÍÎÏĪĮŁÑŃŇÒÓÔÕÖØŌŐŔŘŚŠŞȘŤȚÙÚÛÜŪŮŰŲÝŸŹŻŽ"
)
FOLD_TO = (
    "aaaaaaaaacccddeeeeeeeeiiiiiiilnnnoooooooorrssssttuuuuuuuuyyzzz"
    "aaaaaaaaacccddeeeeeeeeiiiiiilnnnoooooooorrssssttuuuuuuuuyyzzz"
)

IDENTITIES_OF = (
    "coalesce((SELECT group_concat(i.normalized, ' ') FROM customers_identity i "
    "WHERE i.customer_id = {id}), '')"
)

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE customer_fts USING fts5("
    "name, company_name, identities, tokenize = 'unicode61 remove_diacritics 2')",
    "INSERT INTO customer_fts (rowid, name, company_name, identities) "
    f"SELECT c.id, c.name, c.company_name, {IDENTITIES_OF.format(id='c.id')} "
    "FROM customers_customer c",
    "CREATE TRIGGER customer_fts_insert AFTER INSERT ON customers_customer BEGIN "
    "INSERT INTO customer_fts (rowid, name, company_name, identities) VALUES "
    f"(new.id, new.name, new.company_name, {IDENTITIES_OF.format(id='new.id')}); END",
    "CREATE TRIGGER customer_fts_update AFTER UPDATE OF name, company_name "
    "ON customers_customer WHEN old.name IS NOT new.name "
    "OR old.company_name IS NOT new.company_name BEGIN "
    "UPDATE customer_fts SET name = new.name, company_name = new.company_name "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER customer_fts_delete AFTER DELETE ON customers_customer BEGIN "
    "DELETE FROM customer_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER identity_fts_insert AFTER INSERT ON customers_identity BEGIN "
    f"UPDATE customer_fts SET identities = {IDENTITIES_OF.format(id='new.customer_id')} "
    "WHERE rowid = new.customer_id; END",
    "CREATE TRIGGER identity_fts_update AFTER UPDATE OF normalized, customer_id "
    "ON customers_identity BEGIN "
    f"UPDATE customer_fts SET identities = {IDENTITIES_OF.format(id='old.customer_id')} "
    "WHERE rowid = old.customer_id; "
    f"UPDATE customer_fts SET identities = {IDENTITIES_OF.format(id='new.customer_id')} "
    "WHERE rowid = new.customer_id; END",
    "CREATE TRIGGER identity_fts_delete AFTER DELETE ON customers_identity BEGIN "
    f"UPDATE customer_fts SET identities = {IDENTITIES_OF.format(id='old.customer_id')} "
    "WHERE rowid = old.customer_id; END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS identity_fts_delete",
    "DROP TRIGGER IF EXISTS identity_fts_update",
    "DROP TRIGGER IF EXISTS identity_fts_insert",
    "DROP TRIGGER IF EXISTS customer_fts_delete",
    "DROP TRIGGER IF EXISTS customer_fts_update",
    "DROP TRIGGER IF EXISTS customer_fts_insert",
    "DROP TABLE IF EXISTS customer_fts",
]

PG_DOCUMENT = (
    "to_tsvector('simple', amiable_fold(c.name || ' ' || c.company_name || ' ' || "
    "coalesce((SELECT string_agg(i.normalized, ' ') FROM customers_identity i "
    "WHERE i.customer_id = c.id), '')))"
)
POSTGRESQL_FORWARD = [
    "CREATE OR REPLACE FUNCTION amiable_fold(value text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT regexp_replace("
    "replace(replace(replace(translate(lower(value), "
    f"'{FOLD_FROM}', '{FOLD_TO}'), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss'), "
    r"'[!-/:-@\[-`{-~]+', ' ', 'g') $$",
    "CREATE TABLE customers_customer_search ("
    "customer_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX customers_customer_search_idx ON customers_customer_search "
    "USING gin (document)",
    "INSERT INTO customers_customer_search (customer_id, document) "
    f"SELECT c.id, {PG_DOCUMENT} FROM customers_customer c",
    "CREATE FUNCTION customers_customer_search_refresh(target bigint) RETURNS void "
    "LANGUAGE sql AS $$ "
    "DELETE FROM customers_customer_search WHERE customer_id = target; "
    "INSERT INTO customers_customer_search (customer_id, document) "
    f"SELECT c.id, {PG_DOCUMENT} FROM customers_customer c WHERE c.id = target; $$",
    "CREATE FUNCTION customers_customer_search_sync() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN "
    "DELETE FROM customers_customer_search WHERE customer_id = OLD.id; "
    "ELSE PERFORM customers_customer_search_refresh(NEW.id); END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER customers_customer_search_write AFTER INSERT OR DELETE "
    "ON customers_customer FOR EACH ROW "
    "EXECUTE FUNCTION customers_customer_search_sync()",
    "CREATE TRIGGER customers_customer_search_change "
    "AFTER UPDATE OF name, company_name ON customers_customer FOR EACH ROW "
    "WHEN (OLD.name IS DISTINCT FROM NEW.name "
    "OR OLD.company_name IS DISTINCT FROM NEW.company_name) "
    "EXECUTE FUNCTION customers_customer_search_sync()",
    "CREATE FUNCTION customers_identity_search_sync() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP IN ('UPDATE', 'DELETE') THEN "
    "PERFORM customers_customer_search_refresh(OLD.customer_id); END IF; "
    "IF TG_OP IN ('INSERT', 'UPDATE') THEN "
    "PERFORM customers_customer_search_refresh(NEW.customer_id); END IF; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER customers_identity_search_write "
    "AFTER INSERT OR DELETE OR UPDATE OF normalized, customer_id "
    "ON customers_identity FOR EACH ROW "
    "EXECUTE FUNCTION customers_identity_search_sync()",
    "CREATE FUNCTION customers_customer_search_truncate() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN TRUNCATE customers_customer_search; "
    "RETURN NULL; END $$",
    "CREATE TRIGGER customers_customer_search_truncate AFTER TRUNCATE "
    "ON customers_customer FOR EACH STATEMENT "
    "EXECUTE FUNCTION customers_customer_search_truncate()",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS customers_customer_search_truncate ON customers_customer",
    "DROP TRIGGER IF EXISTS customers_identity_search_write ON customers_identity",
    "DROP TRIGGER IF EXISTS customers_customer_search_change ON customers_customer",
    "DROP TRIGGER IF EXISTS customers_customer_search_write ON customers_customer",
    "DROP FUNCTION IF EXISTS customers_customer_search_truncate()",
    "DROP FUNCTION IF EXISTS customers_identity_search_sync()",
    "DROP FUNCTION IF EXISTS customers_customer_search_sync()",
    "DROP FUNCTION IF EXISTS customers_customer_search_refresh(bigint)",
    "DROP TABLE IF EXISTS customers_customer_search",
    "DROP FUNCTION IF EXISTS amiable_fold(text)",
]

FORWARD = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}
REVERSE = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}


def _runner(statements):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("customers", "0001_initial")]

    operations = [migrations.RunPython(_runner(FORWARD), _runner(REVERSE))]
