"""The corpus checker catches what issue 17 found by hand: a message with a reused
Message-ID but another content stored nowhere (class 4), and a crash caught by the
ingestion and quarantined as « unexpected error » (class 3). Each check is shown to
fail on the broken behaviour (put back for the test) and to pass on the fixed one."""

from __future__ import annotations

from typing import Any

import pytest

from amiable.inbound.corpus_check import corpus_check
from amiable.inbound.mail_files import MailFile
from amiable.inbound.models import InboundEmail
from amiable.inbound.services import email_import, ingestion, processing
from tests.inbound.parts_fixtures import UNSERIALISABLE
from tests.inbound.test_reused_message_ids import FILE_TRACE, FIRST, SECOND, THIRD

pytestmark = pytest.mark.django_db


def _corpus() -> list[MailFile]:
    raws = [FIRST, SECOND, THIRD, FILE_TRACE.encode() + FIRST]
    raws += [raw for raw, _text in UNSERIALISABLE.values()]
    return [MailFile(label=f"m{index}.eml", raw=raw) for index, raw in enumerate(raws)]


def _check() -> list[str]:
    messages = _corpus()
    first = email_import(messages=messages)
    second = email_import(messages=messages)
    return corpus_check(
        raws=[message.raw for message in messages], first=first, second=second
    ).problems


def test_the_fixed_ingestion_passes_the_check() -> None:
    assert _check() == []


def test_a_reused_message_id_taken_for_a_duplicate_is_reported_lost(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def the_old_rule(**kwargs: Any) -> tuple[Any, str]:
        """Before the fix: the same id from the same sender was a duplicate."""
        return InboundEmail.objects.get(dedupe_key=kwargs["key"]), kwargs["key"]

    monkeypatch.setattr(ingestion, "stored_copy_of", the_old_rule)

    problems = _check()

    lost = [problem for problem in problems if problem.startswith("lost:")]
    why = "taken for a duplicate of another message"
    assert lost == [
        f"lost: m1.eml {why} (same Message-ID, another subject and text)",
        f"lost: m2.eml {why} (same Message-ID, another subject and text)",
    ]


def test_a_crash_caught_in_quarantine_is_a_failure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = processing.email_process

    def crash_on_forwards(**kwargs: Any) -> Any:
        if b"message/rfc822" in kwargs["raw"]:
            raise IndexError("list index out of range")
        return real(**kwargs)

    monkeypatch.setattr(
        "amiable.inbound.services.ingestion.email_process", crash_on_forwards
    )

    problems = _check()

    crashes = [problem for problem in problems if problem.startswith("crash caught")]
    assert len(crashes) == len(UNSERIALISABLE)
    assert "unexpected error: IndexError: list index out of range" in crashes[0]
