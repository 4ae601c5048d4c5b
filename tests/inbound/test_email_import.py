"""``amiable email_import``: .eml files, directories and mbox files go through the
ingestion service; the summary counts what each became; a crash exits non-zero."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amiable.cases.models import Case
from amiable.inbound.mail_files import mail_files_read
from amiable.inbound.models import InboundEmail, InboundSource, InboundStatus
from amiable.inbound.services import IngestResult, email_ingest, imports
from tests.inbound.conftest import eml

pytestmark = pytest.mark.django_db


def _mbox(path: Path, names: list[str]) -> Path:
    """An mbox of our fixtures (mboxo: ``From `` lines of bodies quoted)."""
    chunks = []
    for name in names:
        raw = eml(name).replace(b"\r\n", b"\n").rstrip(b"\n")
        chunks.append(b"From MAILER-DAEMON Tue Dec  1 09:30:00 2026\n" + raw + b"\n")
    path.write_bytes(b"\n".join(chunks))
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    (root / "nested").mkdir(parents=True)
    (root / "utf8-english.eml").write_bytes(eml("utf8-english.eml"))
    (root / "nested" / "bounce-dsn.eml").write_bytes(eml("bounce-dsn.eml"))
    (root / "nested" / "binary.eml").write_bytes(eml("quarantine-binary.eml"))
    (root / "notes.txt").write_text("not mail, not read", encoding="utf-8")
    _mbox(root / "archive.mbox", ["html-only.eml", "auto-reply-subject-en.eml"])
    return root


def test_an_mbox_is_read_message_by_message_with_their_bytes(tmp_path: Path) -> None:
    path = _mbox(tmp_path / "box", ["html-only.eml", "qp-utf8.eml"])

    messages = list(mail_files_read([path]))

    assert [message.label for message in messages] == [f"{path}#1", f"{path}#2"]
    assert messages[0].raw.startswith(b"From: ")
    assert b"Subject:" in messages[1].raw


def test_a_single_message_saved_as_mbox_is_read_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "one.mbox"
    path.write_bytes(eml("utf8-english.eml"))

    messages = list(mail_files_read([path]))

    assert [message.raw for message in messages] == [eml("utf8-english.eml")]


def test_a_directory_is_imported_twice_once_and_summarised(corpus: Path) -> None:
    out = StringIO()

    call_command("email_import", str(corpus), stdout=out)
    call_command("email_import", str(corpus), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Messages: 5; ingested: 5; duplicates: 0; crashes: 0"
    assert lines[1] == ("By status: auto_reply 1, bounce 1, opened 2, quarantined 1")
    assert lines[2] == "  quarantined 1: no email headers found"
    assert lines[3] == "Messages: 5; ingested: 0; duplicates: 5; crashes: 0"
    assert InboundEmail.objects.count() == 5
    assert set(InboundEmail.objects.values_list("source", flat=True)) == {
        InboundSource.COMMAND
    }
    assert Case.objects.count() == 2


def test_list_prints_what_each_message_became(corpus: Path) -> None:
    out = StringIO()

    call_command("email_import", str(corpus / "nested"), "--list", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith(f"{corpus / 'nested' / 'binary.eml'}: quarantined #")
    assert lines[1].startswith(f"{corpus / 'nested' / 'bounce-dsn.eml'}: bounce #")


def test_a_crash_is_reported_and_exits_non_zero(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "email_ingest", broken)
    out = StringIO()

    with pytest.raises(CommandError, match=r"^1 message\(s\) crashed the import$"):
        call_command("email_import", str(corpus / "utf8-english.eml"), stdout=out)

    assert "CRASH" in out.getvalue()
    assert "RuntimeError: boom" in out.getvalue()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["/nonexistent/mail.eml"], "no such file or directory: /nonexistent/mail.eml"),
        (["--mailbox", "nobody@amiable.localhost", "."], "no mailbox"),
    ],
)
def test_bad_arguments_are_one_line_errors(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("email_import", *arguments)


def test_a_batch_keeps_its_good_messages_around_a_broken_one_and_reimports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five messages, two per transaction: the third crashes inside its batch (a
    bug escaping the service); the fourth is unparseable (quarantined)."""
    names = [
        "utf8-english.eml",
        "html-only.eml",
        "bounce-dsn.eml",
        "quarantine-binary.eml",
        "auto-reply-subject-en.eml",
    ]
    archive = tmp_path / "archive"
    archive.mkdir()
    for index, name in enumerate(names):
        (archive / f"{index}.eml").write_bytes(eml(name))
    broken_raw = eml("bounce-dsn.eml")

    def ingest_or_crash(**kwargs: Any) -> IngestResult:
        if kwargs["raw"] == broken_raw:
            raise RuntimeError("boom")
        return email_ingest(**kwargs)

    monkeypatch.setattr(imports, "email_ingest", ingest_or_crash)

    first = imports.email_import(messages=mail_files_read([archive]), batch_size=2)

    assert [item.label.rsplit("/", 1)[-1] for item in first.crashes] == ["2.eml"]
    assert InboundEmail.objects.count() == 4
    assert first.quarantine_reasons.total() == 1
    monkeypatch.setattr(imports, "email_ingest", email_ingest)

    again = imports.email_import(messages=mail_files_read([archive]), batch_size=2)

    assert again.duplicates == 4
    assert again.crashes == []
    assert InboundEmail.objects.count() == 5
    opened = first.statuses[InboundStatus.OPENED] + again.statuses[InboundStatus.OPENED]
    assert Case.objects.count() == opened
