"""The same data for both products: django-helpdesk's database is filled from ours.

Our data set (``bench/dataset.py``: N cases, N/2 customers, 2N interactions) is
built first; each case becomes a ticket with the same id, subject, customer address,
status, priority, team (as a queue) and assignee, and each interaction a follow-up
with the same body and date; the ticket's description is the case's first inbound
message. Rows go in by ``executemany`` in one transaction per table, into a database
the peer's own ``migrate`` created. The file is cached as
``var/bench/peer-<N>.sqlite3`` like ours.

The e-mails both products ingest are written once as ``.eml`` files by
``bench/inbound.py``'s generator, half of them from customers of the data set.
"""

from __future__ import annotations

import random
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# django-helpdesk's Ticket.STATUS_CHOICES and PRIORITY_CHOICES.
PEER_STATUS = {
    "new": 1,
    "open": 1,
    "waiting_customer": 2,
    "waiting_third_party": 2,
    "resolved": 3,
    "closed": 4,
}
PEER_PRIORITY = {"urgent": 1, "high": 2, "normal": 3, "low": 4}
BATCH = 20_000


def teams_and_agents(ours: Path) -> tuple[list[str], list[list[str]]]:
    """Team names and [username, team name] of the agents of our data set."""
    with sqlite3.connect(ours) as db:
        teams = [
            row[0] for row in db.execute("SELECT name FROM accounts_team ORDER BY id")
        ]
        agents = [
            [row[0], row[1]]
            for row in db.execute(
                "SELECT u.username, t.name FROM accounts_user u "
                "JOIN accounts_team t ON t.id = u.team_id ORDER BY u.id"
            )
        ]
    return teams, agents


def _batches(rows: Iterator[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def load_peer(ours: Path, peer: Path, ids: dict[str, Any]) -> dict[str, int]:
    """Copy cases and interactions of ``ours`` into the migrated ``peer`` database.

    ``ids`` is what the peer's setup answered: its queue id per team name (the
    default queue is "Support") and its user id per username.
    """
    source = sqlite3.connect(ours)
    target = sqlite3.connect(peer)
    target.execute("PRAGMA synchronous=OFF")
    queue_of_team = {
        team_id: ids["queues"][name]
        for team_id, name in source.execute("SELECT id, name FROM accounts_team")
    }
    user_of = {
        user_id: ids["users"].get(username)
        for user_id, username in source.execute(
            "SELECT id, username FROM accounts_user"
        )
    }
    default_queue = ids["queues"]["Support"]
    rng = random.Random(11)  # noqa: S311 (benchmark data)

    def tickets() -> Iterator[tuple[Any, ...]]:
        cursor = source.execute(
            "SELECT c.id, c.subject, c.opened_at, c.last_activity_at, c.status, "
            "c.priority, c.assignee_id, c.team_id, "
            "(SELECT i.normalized FROM customers_identity i "
            " WHERE i.customer_id = c.customer_id AND i.kind = 'email' LIMIT 1), "
            "(SELECT body_text FROM conversations_interaction x "
            " WHERE x.case_id = c.id AND x.direction = 'inbound' "
            " ORDER BY x.id LIMIT 1) "
            "FROM cases_case c ORDER BY c.id"
        )
        for row in cursor:
            (
                case_id,
                subject,
                opened,
                last,
                status,
                priority,
                assignee,
                team,
                email,
                body,
            ) = row
            yield (
                case_id,
                subject,
                opened,
                email,
                PEER_STATUS[status],
                False,
                body or "",
                None,
                PEER_PRIORITY[priority],
                user_of.get(assignee) if assignee else None,
                queue_of_team.get(team, default_queue),
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                last,
            )

    def followups() -> Iterator[tuple[Any, ...]]:
        cursor = source.execute(
            "SELECT occurred_at, subject, body_text, case_id, author_id "
            "FROM conversations_interaction ORDER BY id"
        )
        for occurred, subject, body, case_id, author in cursor:
            yield (
                occurred,
                subject,
                body,
                True,
                case_id,
                user_of.get(author) if author else None,
            )

    inserts: list[tuple[str, Callable[[], Iterator[tuple[Any, ...]]]]] = [
        (
            "INSERT INTO helpdesk_ticket (id, title, created, submitter_email, status, "
            "on_hold, description, resolution, priority, assigned_to_id, queue_id, "
            "secret_key, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tickets,
        ),
        (
            "INSERT INTO helpdesk_followup (date, title, comment, public, ticket_id, "
            "user_id) VALUES (?, ?, ?, ?, ?, ?)",
            followups,
        ),
    ]
    counts: dict[str, int] = {}
    with target:
        for sql, rows in inserts:
            table = sql.split()[2]
            counts[table] = 0
            for batch in _batches(rows()):
                target.executemany(sql, batch)
                counts[table] += len(batch)
        target.execute("ANALYZE")
        target.execute(
            "CREATE TABLE bench_meta (key varchar(40) PRIMARY KEY, value text NOT NULL)"
        )
        target.execute("INSERT INTO bench_meta VALUES ('complete', '1')")
    source.close()
    target.close()
    return counts


def is_complete(peer: Path) -> bool:
    if not peer.exists():
        return False
    with sqlite3.connect(peer) as db:
        try:
            row = db.execute(
                "SELECT value FROM bench_meta WHERE key = 'complete'"
            ).fetchone()
        except sqlite3.OperationalError:
            return False
    return bool(row and row[0] == "1")


def known(ours: Path, seed: int) -> tuple[list[str], list[tuple[str, str]]]:
    """Addresses of customers of the data set and (reference, address) of its
    cases, as ``bench/populated.py`` picks them."""
    with sqlite3.connect(ours) as db:
        addresses = [
            row[0]
            for row in db.execute(
                "SELECT normalized FROM customers_identity WHERE kind = 'email' "
                "ORDER BY id LIMIT 10000"
            )
        ]
        references = [
            (row[0], row[1])
            for row in db.execute(
                "SELECT c.reference, i.normalized FROM cases_case c "
                "JOIN customers_identity i ON i.customer_id = c.customer_id "
                "WHERE i.kind = 'email' ORDER BY c.id DESC LIMIT 200"
            )
        ]
    rng = random.Random(seed)  # noqa: S311 (benchmark data)
    rng.shuffle(addresses)
    return addresses[:500], references


def write_corpus(ours: Path, folder: Path, messages: int, seed: int) -> list[Path]:
    """The .eml files both products ingest (written once per size and count)."""
    from bench.inbound import Known, corpus

    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("*.eml"))
    if existing:
        return existing
    senders, references = known(ours, seed)
    paths = []
    for index, raw in enumerate(corpus(messages, seed, Known(senders, references))):
        path = folder / f"{index:05d}.eml"
        path.write_bytes(raw)
        paths.append(path)
    return paths
