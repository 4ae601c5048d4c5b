"""Build (once) and reuse a benchmark data set: N cases, N/2 customers, 2N interactions.

Rows are written with raw ``executemany`` in large transactions. The full-text
tables and triggers are taken down first (by migrating ``customers`` back to 0001)
and rebuilt in one pass at the end (by migrating forward), which is far faster than
indexing row by row. A finished build is recorded in the ``bench_meta`` table; the
next run with the same size reuses it.
"""

from __future__ import annotations

import datetime as dt
import random
import time
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from faker import Faker

from bench.vocabulary import (
    CHANNELS,
    KINDS,
    PRIORITIES,
    STATUSES,
    SUBJECTS,
    WORDS,
)

BATCH = 20_000
DAYS = 540
SEED = 20260101


@dataclass(frozen=True)
class Dataset:
    size: int
    customers: int
    interactions: int
    admin_id: int
    agent_id: int
    team_id: int
    build_seconds: float
    reused: bool


def _weighted(
    rng: random.Random, choices: Sequence[tuple[str, int]], n: int
) -> list[str]:
    values = [value for value, _weight in choices]
    weights = [weight for _value, weight in choices]
    return rng.choices(values, weights=weights, k=n)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _timestamp(moment: dt.datetime) -> Any:
    """Naive UTC for SQLite (as Django stores it), aware for PostgreSQL."""
    if connection.vendor == "sqlite":
        return moment.replace(tzinfo=None).isoformat(" ")
    return moment


def _meta() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_meta (key varchar(40) PRIMARY KEY, "
            "value varchar(200) NOT NULL)"
        )
        cursor.execute("SELECT key, value FROM bench_meta")
        return dict(cursor.fetchall())


def _set_meta(values: dict[str, str]) -> None:
    with connection.cursor() as cursor:
        for key, value in values.items():
            cursor.execute("DELETE FROM bench_meta WHERE key = %s", [key])
            cursor.execute(
                "INSERT INTO bench_meta (key, value) VALUES (%s, %s)", [key, value]
            )


def _insert(table: str, columns: Sequence[str], rows: Iterator[tuple[Any, ...]]) -> int:
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    total = 0
    batch: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                total += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            total += len(batch)
    return total


def _people() -> tuple[int, int, int]:
    """Teams, agents and the admin through the services: (admin, agent, team)."""
    from amiable.accounts.models import Role
    from amiable.accounts.services import team_create, user_create

    admin = user_create(
        actor=None,
        username="bench-admin",
        password=None,
        role=Role.ADMIN,
        is_superuser=True,
    )
    first_team = None
    first_agent = None
    for team_index in range(6):
        team = team_create(actor=admin, name=f"Bench équipe {team_index}")
        first_team = first_team or team
        for agent_index in range(10):
            agent = user_create(
                actor=admin,
                username=f"bench-{team_index}-{agent_index}",
                password=None,
                role=Role.AGENT,
                team=team,
            )
            first_agent = first_agent or agent
    assert first_team is not None
    assert first_agent is not None
    return admin.pk, first_agent.pk, first_team.pk


def _build(size: int) -> tuple[int, int, int, int, int]:
    rng = random.Random(SEED)
    faker = Faker("fr_FR")
    faker.seed_instance(SEED)
    first_names = list({faker.first_name() for _ in range(600)})
    last_names = list({faker.last_name() for _ in range(1500)})
    companies = list({faker.company() for _ in range(400)})
    admin_id, agent_id, team_id = _people()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, team_id FROM accounts_user WHERE team_id IS NOT NULL"
        )
        agents_by_team: dict[int, list[int]] = {}
        for user_id, user_team in cursor.fetchall():
            agents_by_team.setdefault(user_team, []).append(user_id)
    team_ids = sorted(agents_by_team)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(days=DAYS)
    customer_count = max(1, size // 2)

    def customers() -> Iterator[tuple[Any, ...]]:
        for index in range(1, customer_count + 1):
            created = _timestamp(start + dt.timedelta(seconds=index * 7))
            name = f"{rng.choice(first_names)} {rng.choice(last_names)}"
            company = rng.choice(companies) if index % 10 == 0 else ""
            kind = "company" if company else "person"
            yield (
                index,
                created,
                created,
                kind,
                name,
                company,
                "fr",
                None,
                "active",
                "",
            )

    def identities() -> Iterator[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, name FROM customers_customer ORDER BY id")
            rows = cursor.fetchall()
        created = _timestamp(start)
        for customer_id, name in rows:
            local = _ascii(name).lower().replace(" ", ".").replace("'", "")
            value = f"{local}.{customer_id}@exemple.fr"
            yield (
                created,
                created,
                "email",
                value,
                value,
                "",
                True,
                False,
                customer_id,
            )

    references: dict[int, int] = {}

    def cases() -> Iterator[tuple[Any, ...]]:
        kinds = _weighted(rng, KINDS, size)
        priorities = _weighted(rng, PRIORITIES, size)
        statuses = _weighted(rng, STATUSES, size)
        for index in range(size):
            opened = start + dt.timedelta(seconds=rng.randrange(DAYS * 86400))
            last = min(now, opened + dt.timedelta(seconds=rng.randrange(30 * 86400)))
            year = opened.year
            references[year] = references.get(year, 0) + 1
            team = rng.choice(team_ids) if rng.random() < 0.9 else None
            assignee = (
                rng.choice(agents_by_team[team])
                if team is not None and rng.random() < 0.7
                else None
            )
            subject = f"{rng.choice(SUBJECTS)} {rng.choice(WORDS)}"
            yield (
                index + 1,
                _timestamp(opened),
                _timestamp(last),
                f"C-{year}-{references[year]:06d}",
                subject,
                kinds[index],
                "",
                priorities[index],
                statuses[index],
                rng.choice(CHANNELS),
                _timestamp(opened),
                _timestamp(last),
                1,
                assignee,
                rng.randrange(1, customer_count + 1),
                team,
            )

    def interactions() -> Iterator[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, customer_id, subject, opened_at, assignee_id "
                "FROM cases_case ORDER BY id"
            )
            rows = cursor.fetchall()
        for case_id, customer_id, subject, opened, assignee in rows:
            for direction in ("inbound", "outbound"):
                body = " ".join(rng.choices(WORDS, k=rng.randrange(15, 45)))
                yield (
                    opened,
                    opened,
                    "email",
                    direction,
                    opened,
                    subject,
                    body,
                    "",
                    "fr",
                    "",
                    0,
                    "{}",
                    assignee if direction == "outbound" else None,
                    case_id,
                    customer_id,
                )

    with transaction.atomic():
        _insert(
            "customers_customer",
            [
                "id",
                "created_at",
                "updated_at",
                "kind",
                "name",
                "company_name",
                "preferred_language",
                "customer_since",
                "status",
                "notes",
            ],
            customers(),
        )
        _insert(
            "customers_identity",
            [
                "created_at",
                "updated_at",
                "kind",
                "value",
                "normalized",
                "platform",
                "is_primary",
                "is_verified",
                "customer_id",
            ],
            identities(),
        )
    with transaction.atomic():
        _insert(
            "cases_case",
            [
                "id",
                "created_at",
                "updated_at",
                "reference",
                "subject",
                "kind",
                "category",
                "priority",
                "status",
                "channel",
                "opened_at",
                "last_activity_at",
                "version",
                "assignee_id",
                "customer_id",
                "team_id",
            ],
            cases(),
        )
        with connection.cursor() as cursor:
            for year, last_number in references.items():
                cursor.execute(
                    "INSERT INTO cases_casesequence (year, last_number) "
                    "VALUES (%s, %s)",
                    [year, last_number],
                )
    with transaction.atomic():
        total_interactions = _insert(
            "conversations_interaction",
            [
                "created_at",
                "updated_at",
                "channel",
                "direction",
                "occurred_at",
                "subject",
                "body_text",
                "body_html",
                "language",
                "external_id",
                "time_spent_seconds",
                "metadata",
                "author_id",
                "case_id",
                "customer_id",
            ],
            interactions(),
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("customers_customer", "cases_case"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
    return admin_id, agent_id, team_id, customer_count, total_interactions


def _analyze_new_indexes() -> None:
    """Measure statistics for indexes added since the data set was built, as a
    maintained installation would (``ANALYZE``); PostgreSQL's autovacuum does it."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' "
            "AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE idx IS NOT NULL) "
            "AND tbl_name IN ('cases_case', 'customers_customer', "
            "'conversations_interaction')"
        )
        tables = sorted({table for _name, table in cursor.fetchall()})
        for table in tables:
            cursor.execute(f'ANALYZE "{table}"')


def ensure_dataset(size: int, *, rebuild: bool = False) -> Dataset:
    """Migrate the bench database and fill it with ``size`` cases, unless done."""
    call_command("migrate", verbosity=0, skip_checks=True)
    meta = _meta()
    if meta.get("size") == str(size) and meta.get("complete") == "1" and not rebuild:
        _analyze_new_indexes()
        return Dataset(
            size=size,
            customers=int(meta["customers"]),
            interactions=int(meta["interactions"]),
            admin_id=int(meta["admin_id"]),
            agent_id=int(meta["agent_id"]),
            team_id=int(meta["team_id"]),
            build_seconds=float(meta["build_seconds"]),
            reused=True,
        )
    if meta:
        raise SystemExit(
            "The bench database holds another or an unfinished data set; "
            "delete it (var/bench/) or pass a fresh DATABASE_URL."
        )
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    # Drop the full-text tables and triggers; migrating forward rebuilds them in bulk.
    call_command("migrate", "customers", "0001", verbosity=0, skip_checks=True)
    admin_id, agent_id, team_id, customers, interactions = _build(size)
    call_command("migrate", verbosity=0, skip_checks=True)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    build_seconds = time.perf_counter() - started
    _set_meta(
        {
            "size": str(size),
            "customers": str(customers),
            "interactions": str(interactions),
            "admin_id": str(admin_id),
            "agent_id": str(agent_id),
            "team_id": str(team_id),
            "build_seconds": f"{build_seconds:.1f}",
            "complete": "1",
        }
    )
    return Dataset(
        size=size,
        customers=customers,
        interactions=interactions,
        admin_id=admin_id,
        agent_id=agent_id,
        team_id=team_id,
        build_seconds=build_seconds,
        reused=False,
    )
