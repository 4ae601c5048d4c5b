"""Which migration operations cannot run while the previous version still serves.

The rules of docs/DEPLOYMENT.md (« Migrations while the old version serves »), read
off each migration's operations with the project state just before it:

- ``not-null-without-db-default``: a NOT NULL column added to an existing table
  with no ``db_default``: the old version's INSERTs do not name it and fail.
- ``type-change``: a column's database type changed: PostgreSQL rewrites the table
  under an ACCESS EXCLUSIVE lock.
- ``set-not-null``: a nullable column made NOT NULL: a full scan under that lock,
  and the old version may still write NULL.
- ``index-not-concurrent``: an index or unique constraint built on an existing table
  without ``AddIndexConcurrently``: writes wait for the whole build.
- ``breaks-old-code``: a column or table removed or renamed while the old version
  still reads it (remove it one release after the code stopped using it).
- ``data-migration``: RunPython/RunSQL: must work in batches; reviewed by hand.

Operations on a table created in the same migration are always safe (it is empty
and the old version does not know it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, models
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState

try:
    from django.contrib.postgres.operations import (
        AddIndexConcurrently,
        RemoveIndexConcurrently,
    )

    CONCURRENT: tuple[type[object], ...] = (
        AddIndexConcurrently,
        RemoveIndexConcurrently,
    )
except ImportError:  # pragma: no cover (psycopg missing)
    CONCURRENT = ()


@dataclass(frozen=True, order=True)
class Finding:
    app: str
    migration: str
    rule: str
    target: str


def _db_type(state: ProjectState, app: str, model: str, name: str) -> str | None:
    field = state.apps.get_model(app, model)._meta.get_field(name)
    return field.db_type(connection)


def operation_findings(
    app: str, operation: object, state: ProjectState, created: set[str]
) -> list[tuple[str, str]]:
    model = str(getattr(operation, "model_name", getattr(operation, "name", "")))
    model = model.lower()
    if model in created and not isinstance(operation, ops.DeleteModel):
        return []
    if isinstance(operation, CONCURRENT):
        return []
    if isinstance(operation, ops.AddField):
        field = operation.field
        no_default = field.db_default is models.NOT_PROVIDED
        if not field.null and not field.many_to_many and no_default:
            return [("not-null-without-db-default", f"{model}.{operation.name}")]
        return []
    if isinstance(operation, ops.AlterField):
        before = state.models[app, model].fields[operation.name]
        found = []
        after_state = state.clone()
        operation.state_forwards(app, after_state)
        old = _db_type(state, app, model, operation.name)
        new = _db_type(after_state, app, model, operation.name)
        if old != new:
            found.append(("type-change", f"{model}.{operation.name}"))
        if before.null and not operation.field.null:
            found.append(("set-not-null", f"{model}.{operation.name}"))
        return found
    if isinstance(operation, ops.AddIndex):
        return [("index-not-concurrent", f"{model}:{operation.index.name}")]
    if isinstance(operation, ops.AddConstraint):
        constraint = getattr(operation, "constraint", None)
        if isinstance(constraint, models.UniqueConstraint):
            return [("index-not-concurrent", f"{model}:{constraint.name}")]
        return []
    if isinstance(operation, ops.AlterUniqueTogether | ops.AlterIndexTogether):
        return [("index-not-concurrent", f"{model}:{type(operation).__name__}")]
    if isinstance(
        operation,
        ops.RemoveField
        | ops.DeleteModel
        | ops.RenameField
        | ops.RenameModel
        | ops.AlterModelTable,
    ):
        return [("breaks-old-code", f"{model}:{type(operation).__name__}")]
    if isinstance(operation, ops.RunPython | ops.RunSQL):
        return [("data-migration", type(operation).__name__)]
    return []


def online_migration_findings(prefix: str = "amiable.") -> list[Finding]:
    """Every operation of our migrations that breaks a rule, in migration order."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    findings: list[Finding] = []
    plan: list[tuple[str, str]] = []
    for leaf in loader.graph.leaf_nodes():
        plan += [key for key in loader.graph.forwards_plan(leaf) if key not in plan]
    for key in plan:
        migration = loader.graph.nodes[key]
        if not type(migration).__module__.startswith(prefix):
            continue
        state = loader.project_state(key, at_end=False)
        created: set[str] = set()
        for operation in migration.operations:
            if isinstance(operation, ops.CreateModel):
                created.add(operation.name.lower())
            for rule, target in operation_findings(
                migration.app_label, operation, state, created
            ):
                findings.append(
                    Finding(migration.app_label, migration.name, rule, target)
                )
            operation.state_forwards(migration.app_label, state)
    return findings
