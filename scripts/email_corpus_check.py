"""Ingest a corpus of real-world mail twice into a scratch database and check it.

    .venv/bin/python scripts/email_corpus_check.py PATH... [--database-url URL]

PATHs are .eml files, directories (walked for .eml, .msg, .mbox, .mbx) and mbox
files, e.g. CPython's ``test/test_email/data`` or fixtures of other mail libraries
unpacked outside the repository (third-party mail is never committed). Checks: no
exception, and no « unexpected error » quarantine either (a crash the ingestion
caught); every message accounted for (an interaction, a robot verdict or a
quarantine row with its reason and source); a message taken for a duplicate is a
copy of the one it matched (same sender, same subject or text: a reused Message-ID
on another message is a loss); the second pass adds nothing; automatic replies and
bounces open no case, nor do senders that are plainly software (no-reply,
notification, mail server, list manager and feedback-loop addresses); feedback-loop
reports are never recorded as bounces; replies are on the case of the message they
answer; no subject or body looks like mojibake (``inbound/mojibake.py``); reply
stripping hid no sentence or list item the customer wrote. Prints the summary;
exits 1 when a check fails.

The scratch database is a fresh SQLite file in a temporary directory, or, with
``--database-url postgres://.../NAME``, a database ``NAME_email_corpus`` recreated
beside NAME (NAME itself is left alone).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent


def _scratch_postgres(url: str) -> str:
    import psycopg

    parsed = urlparse(url)
    name = f"{parsed.path.lstrip('/') or 'postgres'}_email_corpus"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunparse(parsed._replace(path=f"/{name}"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--database-url", default="")
    parser.add_argument(
        "--verbose", action="store_true", help="print what each message became"
    )
    options = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="amiable-corpus-"))
    os.environ["AMIABLE_VAR_DIR"] = str(scratch)
    os.environ["DATABASE_URL"] = (
        _scratch_postgres(options.database_url)
        if options.database_url
        else f"sqlite:///{scratch / 'corpus.sqlite3'}"
    )
    os.environ["AMIABLE_TASKS"] = "immediate"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["AMIABLE_SMS_BACKEND"] = "amiable.conversations.sms.MemorySmsBackend"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amiable.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import logging

    import django

    django.setup()
    logging.disable(logging.WARNING)  # quarantines are expected; the report says
    from django.core.management import call_command

    from amiable.inbound.corpus_check import corpus_check, corpus_reply_probe
    from amiable.inbound.mail_files import mail_files_read
    from amiable.inbound.services import email_import

    call_command("migrate", verbosity=0)
    messages = list(mail_files_read(options.paths))
    first = email_import(messages=messages)
    second = email_import(messages=messages)
    check = corpus_check(
        raws=[message.raw for message in messages], first=first, second=second
    )
    replies, reply_problems = corpus_reply_probe(
        raws=[message.raw for message in messages], first=first
    )
    problems = [*check.problems, *reply_problems]
    if options.verbose:
        for item in first.items:
            result = item.result
            verdict = (
                f"{'duplicate ' if result.is_duplicate else ''}{result.status} "
                f"{result.reason[:100]}"
                if result
                else f"CRASH {item.error}"
            )
            print(f"{item.label}: {verdict}")
    print(f"messages: {check.messages}; stored once: {check.stored}")
    print(f"duplicates within the corpus: {check.first_pass_duplicates}")
    print(
        "by status: "
        + ", ".join(f"{name} {count}" for name, count in sorted(check.statuses.items()))
    )
    for reason, count in check.quarantine_reasons.most_common():
        print(f"  quarantined {count}: {reason[:160]}")
    print(f"replies checked for threading: {check.threaded_replies}")
    print(f"robot senders that opened a case: {check.robot_sender_cases}")
    print(
        "feedback-loop reports recorded as bounces or mail: "
        f"{check.feedback_reports_misread}"
    )
    print(f"second pass: {second.duplicates} of {len(second.items)} duplicates")
    print(f"replies to messages that opened a case, threaded: {replies}")
    print(f"subjects and bodies that look like mojibake: {check.mojibake}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"FAILED: {len(problems)} problem(s)" if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
