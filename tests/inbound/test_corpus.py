"""The .eml corpus (``eml/generate.py``): every fixture lands where it should, with
the text, attachments and facts it carries; the whole corpus sent twice through the
real SMTP endpoint is stored once, nothing lost, nothing duplicated; CPython's own
email test data (real mail the project was never tuned on) passes the corpus check.

``AMIABLE_EMAIL_CORPUS=/path/to/dir`` runs the no-crash / no-loss / no-duplicate test
on any other directory of ``.eml`` files (a corpus the project has never seen)."""

from __future__ import annotations

import importlib.util
import json
import os
import smtplib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.customers.models import Customer
from amiable.inbound.corpus_check import corpus_check, corpus_reply_probe
from amiable.inbound.mail_files import mail_files_read
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.services import dedupe_key_of, email_import, email_ingest
from amiable.inbound.smtp import IngestHandler, SmtpServer
from tests.inbound.conftest import EML_DIR

EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (EML_DIR / "expected.json").read_text(encoding="utf-8")
)
LANDED = {InboundStatus.OPENED, InboundStatus.THREADED}


def test_the_corpus_has_at_least_sixty_fixtures_on_disk() -> None:
    on_disk = sorted(path.name for path in EML_DIR.glob("*.eml"))
    assert on_disk == sorted(EXPECTED)
    assert len(on_disk) >= 60


@pytest.fixture(autouse=True)
def _small_attachment_limit(settings: Settings) -> None:
    settings.ATTACHMENT_MAX_BYTES = 200_000


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_fixture_lands_as_expected(name: str) -> None:
    expected = EXPECTED[name]
    raw = (EML_DIR / name).read_bytes()

    result = email_ingest(raw=raw, source="command")

    assert result.status == expected["status"], result.reason
    if "reason" in expected:
        assert result.reason == expected["reason"]
    if expected["status"] == InboundStatus.QUARANTINED:
        assert result.reason
        assert InboundEmail.objects.get().raw.read() == raw
        assert Case.objects.count() == 0
        return
    if expected["status"] not in LANDED:
        assert Case.objects.count() == 0
        return
    inbound = Interaction.objects.select_related("case", "customer").get(
        direction=Direction.INBOUND
    )
    metadata = inbound.metadata
    if "subject" in expected:
        assert inbound.subject == expected["subject"]
    if "case_subject" in expected:
        assert inbound.case is not None
        assert inbound.case.subject == expected["case_subject"]
    for fragment in expected.get("contains", []):
        assert fragment in inbound.body_text
    for fragment in expected.get("not_contains", []):
        assert fragment not in inbound.body_text
    assert "<script" not in inbound.body_html
    assert "alert(1)" not in inbound.body_html
    if "attachments" in expected:
        names = sorted(inbound.attachments.values_list("filename", flat=True))
        assert names == sorted(expected["attachments"])
    if "inline" in expected:
        inline = inbound.attachments.filter(is_inline=True)
        assert sorted(inline.values_list("filename", flat=True)) == expected["inline"]
    refused = [item["filename"] for item in metadata.get("refused_attachments", [])]
    assert refused == expected.get("refused", [])
    if "customer" in expected:
        assert inbound.customer.name == expected["customer"]
    if "sender" in expected:
        assert metadata["email"]["from"] == expected["sender"]
    assert inbound.customer.preferred_language == expected.get("language", "fr")
    assert metadata.get("forwarded", False) is expected.get("forwarded", False)
    assert metadata.get("empty_body", False) is expected.get("empty", False)
    assert metadata.get("quoted_removed", False) is expected.get("quoted", False)
    assert bool(metadata.get("charset_notes")) is expected.get("charset_note", False)
    if expected.get("html"):
        assert inbound.body_html.startswith("<p>") or "<p>" in inbound.body_html
    if expected.get("hash_key"):
        assert inbound.external_id.startswith("sha256:")
        assert inbound.message_id == ""
    if "message_id" in expected:
        assert inbound.message_id == expected["message_id"]


def messages_in(paths: list[Path]) -> list[bytes]:
    """The raw messages of ``.eml`` files and of mbox files (one or many each)."""
    return [message.raw for message in mail_files_read(paths)]


def _corpus() -> list[bytes]:
    root = Path(os.environ.get("AMIABLE_EMAIL_CORPUS") or EML_DIR)
    files = sorted([*root.rglob("*.eml"), *root.rglob("*.mbox")])
    return messages_in(files)


# Real mail this project has never been tuned on, shipped by Debian packages on the
# machine: a 1999 mbox message of the GNU readline documentation and two Usenet
# articles of vim's macros (RFC 5322 messages too).
MACHINE_CORPUS = [
    Path("/usr/share/doc/libreadline8/USAGE"),
    *sorted(Path("/usr/share/vim").glob("vim*/macros/*/poster")),
]


@pytest.fixture
def smtp_endpoint(transactional_db: None) -> Iterator[SmtpServer]:
    server = SmtpServer(
        host="127.0.0.1", port=0, handler=IngestHandler(domains={"amiable.localhost"})
    ).start()
    yield server
    server.stop()


def _send_twice_and_check(server: SmtpServer, messages: list[bytes]) -> None:
    """Send every message twice over SMTP; check nothing is lost or duplicated,
    each landed on a case or in quarantine with a reason, robots opened nothing."""
    keys = {dedupe_key_of(raw)[0] for raw in messages}
    with smtplib.SMTP(server.host, server.port, timeout=30) as client:
        for _round in range(2):
            for raw in messages:
                refused = client.sendmail(
                    "mta@relay.exemple.fr", ["support@amiable.localhost"], raw
                )
                assert refused == {}
    ledger = list(InboundEmail.objects.all())
    assert len(ledger) == len(keys)  # nothing lost, nothing stored twice
    assert {email.dedupe_key for email in ledger} == keys
    for email in ledger:
        if email.status == InboundStatus.QUARANTINED:
            assert email.reason  # with a reason, and the source kept
            assert email.raw_size == len(email.raw.read())
        elif email.status in LANDED:
            assert email.case_id is not None
            assert email.interaction_id is not None
    opened = sum(email.status == InboundStatus.OPENED for email in ledger)
    assert Case.objects.count() == opened  # robots opened nothing
    people = {email.sender for email in ledger if email.status in LANDED}
    robots = {
        email.sender
        for email in ledger
        if email.status in {InboundStatus.AUTO_REPLY, InboundStatus.BOUNCE}
    }
    # No customer was created for a robot (one we already knew may get its reply).
    assert not Customer.objects.filter(
        identities__normalized__in=robots - people
    ).exists()
    inbound = Interaction.objects.filter(direction=Direction.INBOUND).count()
    assert inbound == sum(
        email.status in LANDED or email.interaction_id is not None
        for email in ledger
        if email.status != InboundStatus.BOUNCE
    )


@pytest.mark.django_db(transaction=True)
def test_a_whole_corpus_sent_twice_over_smtp_is_stored_once_nothing_lost(
    smtp_endpoint: SmtpServer,
) -> None:
    _send_twice_and_check(smtp_endpoint, _corpus())


@pytest.mark.django_db(transaction=True)
def test_real_mail_found_on_this_machine_is_ingested_over_smtp(
    smtp_endpoint: SmtpServer,
) -> None:
    present = [path for path in MACHINE_CORPUS if path.exists()]
    if not present:
        pytest.skip("no real-world mail shipped on this machine (readline, vim docs)")
    messages = messages_in(present)

    _send_twice_and_check(smtp_endpoint, messages)

    landed = InboundEmail.objects.filter(status__in=LANDED)
    assert landed.count() == len(messages)
    assert set(Case.objects.values_list("subject", flat=True)) >= {
        "Use of Readline"
    } & {email.subject for email in landed}


def cpython_email_data() -> Path | None:
    """CPython's ``test/test_email/data`` of the running interpreter, if installed."""
    spec = importlib.util.find_spec("test")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "test_email" / "data"
    return path if path.is_dir() else None


@pytest.mark.django_db
def test_cpythons_email_test_data_ingested_twice_passes_the_corpus_check() -> None:
    root = cpython_email_data()
    if root is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CPython's test/test_email/data is missing under CI")
        pytest.skip("CPython's test/test_email/data is not installed here")
    messages = list(mail_files_read(sorted(root.glob("msg_*.txt"))))
    raws = [message.raw for message in messages]

    first = email_import(messages=messages)
    second = email_import(messages=messages)
    check = corpus_check(raws=raws, first=first, second=second)
    replies, reply_problems = corpus_reply_probe(raws=raws, first=first)

    assert check.problems == []
    assert reply_problems == []
    assert check.messages == len(messages) >= 40
    assert check.stored == check.messages - check.first_pass_duplicates
    assert second.duplicates == len(messages)
    assert check.statuses[InboundStatus.BOUNCE] >= 3
    assert check.statuses[InboundStatus.OPENED] >= 25
    assert replies >= 5  # the samples with a Message-ID that opened a case
