"""Seed SQLite's planner statistics for the case indexes (SQLite only).

Without ``sqlite_stat1`` rows (a database nobody ran ANALYZE on), SQLite assumes an
equality on an indexed column selects ~10 rows. The agent's inbox scope
``team_id = X OR team_id IS NULL OR assignee_id = me`` then becomes a MULTI-INDEX OR
over the team's whole history followed by a sort (220 ms at 100k cases) instead of a
walk of ``case_activity_idx`` that stops after one page (0.3 ms). These rows describe a
large installation (a team holds many cases, an assignee some); a later ANALYZE replaces
them with measured values. See https://sqlite.org/fileformat2.html#stat1tab.
"""

from django.db import migrations

ROWS = 1_000_000
# Distinct values per column in a large installation; unknown columns are unique.
DISTINCT = {
    "team_id": 10,
    "assignee_id": 500,
    "status": 5,
    "kind": 4,
    "priority": 4,
    "customer_id": 400_000,
}


def _stat(columns):
    """``rows avg-per-prefix...`` as ANALYZE writes it."""
    averages, distinct = [], 1
    for column in columns:
        distinct *= DISTINCT.get(column, ROWS)
        averages.append(str(max(1, ROWS // distinct)))
    return " ".join([str(ROWS), *averages])


def seed(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sqlite_master")
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE tbl = 'cases_case' LIMIT 1")
        if cursor.fetchone():
            return  # measured statistics exist; keep them
        cursor.execute("PRAGMA index_list('cases_case')")
        for row in cursor.fetchall():
            index = row[1]
            cursor.execute(f"PRAGMA index_info('{index}')")
            columns = [info[2] for info in cursor.fetchall()]
            if not columns:
                continue
            cursor.execute(
                "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                ["cases_case", index, _stat(columns)],
            )


def unseed(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'cases_case'")


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_inbox_activity_indexes")]

    operations = [migrations.RunPython(seed, unseed)]
