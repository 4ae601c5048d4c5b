"""Email ingestion benchmark (not a test): ``.venv/bin/python bench/inbound.py``.

Builds ``--messages`` realistic emails (new requests, replies threaded by
In-Reply-To and by the case reference, HTML-only mail, attachments, quoted history,
automatic replies, a few duplicates), then in one run measures:

- the floor: the bare stdlib parse of the same messages
  (``BytesParser(policy=default)`` + ``get_body().get_content()``);
- ours: ``email_ingest`` of each message (parsing, dedupe, customer matching,
  threading, case opening, attachments, acknowledgement queued), through the same
  path the SMTP, IMAP and HTTP entry points use.

Without ``--size`` the messages go into an empty database. With ``--size N`` they go
into a copy of the data set of N cases (``bench/populated.py``): half of them from
customers of the data set, some answering its cases by reference; the run then also
counts the SQL statements of ``POST /api/v1/cases`` and measures its requests per
second on gunicorn (one request in flight). It prints JSON with messages per second
and per CPU-second for ours and the floor, and the ratio. SQLite by default
(``var/bench/``); PostgreSQL when ``DATABASE_URL`` names one (databases are created
beside it).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
PDF = b"%PDF-1.4\n" + b"0" * 20_000 + b"\n%%EOF\n"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
FR_BODIES = [
    "Bonjour,\n\nMa commande {n} n'est toujours pas arrivée, pouvez-vous vérifier ?",
    "Bonjour,\n\nLe colis {n} est arrivé abîmé, le vase est cassé. Je souhaite un "
    "remplacement.\n\nCordialement,\nClient",
    "Bonjour, je voudrais être remboursée de la commande {n} : l'article est trop "
    "petit.",
]
EN_BODIES = [
    "Hello,\n\nMy order {n} has not arrived yet. Could you check?\n\nThanks",
    "Hi, the parcel {n} arrived damaged. I would like a refund.",
]


def _database_url() -> str:
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://")):
        import psycopg

        parsed = urlparse(given)
        name = f"{parsed.path.lstrip('/') or 'postgres'}_bench_inbound"
        with psycopg.connect(given, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return urlunparse(parsed._replace(path=f"/{name}"))
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    path = BENCH_DIR / "inbound.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


def _message(
    rng: random.Random,
    number: int,
    sent: list[tuple[str, str, str]],
    known: Known,
) -> tuple[bytes, tuple[str, str, str] | None]:
    """One email; replies pick an earlier message of the same sender; with a
    populated database, half come from its customers, some answer its cases."""
    message = EmailMessage()
    reply_to = rng.choice(sent) if sent and rng.random() < 0.3 else None
    roll = rng.random()
    if reply_to is not None:
        sender, subject, parent = reply_to
    elif known.references and roll < 0.1:
        reference, address = rng.choice(known.references)
        sender, subject, parent = address, f"Re: [{reference}] Votre demande", ""
    elif known.senders and roll < 0.5:
        sender = rng.choice(known.senders)
        subject, parent = f"Commande CMD-{number:06d}", ""
    else:
        person = rng.randrange(max(10, number // 3 + 1))
        sender = f"Client {person} <client{person}@exemple.fr>"
        subject = f"Commande CMD-{number:06d}"
        parent = ""
    message_id = make_msgid(domain="bench.exemple.fr")
    message["From"] = sender
    message["To"] = "support@amiable.localhost"
    message["Subject"] = f"Re: {subject}" if parent else subject
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id
    if parent:
        message["In-Reply-To"] = parent
        message["References"] = parent
    bodies = EN_BODIES if number % 4 == 0 else FR_BODIES
    body = rng.choice(bodies).format(n=f"CMD-{number:06d}")
    if parent:
        body += "\n\nLe 1 déc. 2026 à 10:12, Service client a écrit :\n> Bonjour"
    roll = rng.random()
    if roll < 0.1:
        message.set_content(body)
        message.add_attachment(
            PDF, maintype="application", subtype="pdf", filename="facture.pdf"
        )
    elif roll < 0.2:
        message.add_alternative(f"<p>{body}</p><img src='cid:p1'>", subtype="html")
        message.add_attachment(PNG, maintype="image", subtype="png", filename="p.png")
    elif roll < 0.45:
        message.set_content(body)
        message.add_alternative(f"<html><body><p>{body}</p></body></html>", "html")
    elif roll < 0.5:
        message.replace_header("Subject", "Réponse automatique : absent")
        message["Auto-Submitted"] = "auto-replied"
        message.set_content("Je suis absent jusqu'au 4 janvier.")
    else:
        message.set_content(body)
    return message.as_bytes(), (sender, subject, message_id)


@dataclass(frozen=True)
class Known:
    """What a populated database already holds: customers' addresses, and
    (reference, address) of their cases."""

    senders: list[str] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)


def corpus(size: int, seed: int, known: Known | None = None) -> list[bytes]:
    rng = random.Random(seed)  # noqa: S311 (benchmark data)
    sent: list[tuple[str, str, str]] = []
    messages: list[bytes] = []
    for number in range(size):
        raw, thread = _message(rng, number, sent, known or Known())
        if thread is not None:
            sent.append(thread)
        messages.append(raw)
    # A few messages arrive twice (two paths, a retried delivery).
    messages += [messages[index] for index in range(0, size, 50)]
    return messages


def floor_parse(messages: list[bytes]) -> tuple[float, float]:
    """(wall, CPU) seconds of the bare stdlib parse of every message."""
    parser = BytesParser(policy=policy.default)
    started, cpu = time.perf_counter(), time.process_time()
    for raw in messages:
        parsed = parser.parsebytes(raw)
        body = parsed.get_body(preferencelist=("plain", "html"))
        if body is not None:
            body.get_content()
    return time.perf_counter() - started, time.process_time() - cpu


def _populate(size: int, seed: int) -> tuple[Known, dict[str, Any]]:
    """Build (or reuse) the data set of ``size`` cases, switch to a fresh copy of
    it; what it holds, and the API token of its administrator."""
    from bench.dataset import ensure_dataset
    from bench.populated import (
        known_references,
        known_senders,
        scratch_database_url,
        use_database,
    )

    data = ensure_dataset(size)
    print(  # noqa: T201
        f"data set: {size} cases ({'reused' if data.reused else 'built'} "
        f"in {data.build_seconds:.1f}s)",
        file=sys.stderr,
    )
    use_database(scratch_database_url(os.environ["DATABASE_URL"], size))
    facts = {
        "cases": size,
        "customers": data.customers,
        "interactions": data.interactions,
        "admin_id": data.admin_id,
    }
    return Known(known_senders(500, seed), known_references(200)), facts


def _case_creation(facts: dict[str, Any], requests: int) -> dict[str, Any]:
    """Statements of ``POST /api/v1/cases`` and its rate on gunicorn."""
    from amiable.accounts.models import User
    from amiable.accounts.services import token_create
    from bench.populated import case_create_statements
    from bench.writes import case_create_api

    admin = User.objects.get(pk=facts["admin_id"])
    token = token_create(actor=admin, user=admin, name="bench inbound").plaintext
    statements = case_create_statements(token=token, customer_count=facts["customers"])
    api = case_create_api(
        token=token,
        customer_count=facts["customers"],
        requests=requests,
        seconds=60.0,
        clients=1,
        workers=2,
    )
    return {"statements_per_request": statements, "gunicorn": api}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--size", type=int, default=0, help="cases already in the database"
    )
    parser.add_argument("--requests", type=int, default=200, help="API creations")
    parser.add_argument("--output", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)

    if args.size:
        from bench.run import _database_url as dataset_url

        os.environ["DATABASE_URL"] = dataset_url(args.size)
    else:
        os.environ["DATABASE_URL"] = _database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amiable.config.settings")
    os.environ.setdefault("AMIABLE_TASKS", "database")
    os.environ.setdefault("AMIABLE_VAR_DIR", str(BENCH_DIR / "var-inbound"))
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from amiable.conversations.models import Interaction
    from amiable.inbound.models import InboundEmail
    from bench.populated import ingest_timed

    known, facts = Known(), {"cases": 0}
    if args.size:
        known, facts = _populate(args.size, args.seed)
    call_command("migrate", interactive=False, verbosity=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    messages = corpus(args.messages, args.seed, known)
    floor_seconds, floor_cpu = floor_parse(messages)
    emails_before = InboundEmail.objects.count()
    ours_seconds, ours_cpu, statuses = ingest_timed(messages)
    count = len(messages)
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    report: dict[str, Any] = {
        "benchmark": "email ingestion",
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "database": settings.DATABASE_VENDOR,
        "tasks": settings.AMIABLE_TASKS,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "populated_with": facts,
        "messages": count,
        "outcomes": statuses,
        "stored_emails": InboundEmail.objects.count() - emails_before,
        "inbound_interactions": Interaction.objects.filter(direction="inbound").count(),
        "load_average_at_end": load,
        "floor_stdlib_parse_per_second": round(count / floor_seconds, 1),
        "ours_ingested_per_second": round(count / ours_seconds, 1),
        "ratio_floor_over_ours": round(ours_seconds / floor_seconds, 1),
        # CPU time of this process: what the numbers would be on an idle machine
        # (the database is SQLite, in this process; PostgreSQL runs elsewhere).
        "floor_stdlib_parse_per_cpu_second": round(count / floor_cpu, 1),
        "ours_ingested_per_cpu_second": round(count / ours_cpu, 1),
        "ratio_cpu_floor_over_ours": round(ours_cpu / floor_cpu, 1),
        "django_helpdesk_reference_per_second": 45,
    }
    if args.size and args.requests:
        print(json.dumps(report, indent=2), file=sys.stderr)  # noqa: T201
        try:
            report["case_create_api"] = _case_creation(facts, args.requests)
        except RuntimeError as exc:  # a server that did not start on a busy host
            report["case_create_api"] = {"error": str(exc)}
    text = json.dumps(report, indent=2)
    print(text)  # noqa: T201
    if args.output:
        args.output.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
