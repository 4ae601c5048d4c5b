"""The classes of failure that corpora of real-world mail found, each reproduced by
a fixture or message of our own: bounces that opened cases or were quarantined,
messages lost as "duplicates" of another that reused their Message-ID, replies to
a reused Message-ID threaded on a stranger's case, oversized messages parsed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.customers.models import Customer
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.parsing import email_parse
from amiable.inbound.services import email_ingest
from tests.inbound.conftest import eml

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "bounce-mailer-daemon-unknown-subject.eml",  # opened a case
        "bounce-null-from.eml",  # quarantined: "no valid sender address"
        "bounce-gateway-plain.eml",  # opened a case
        "bounce-dsn-in-mixed-action-failure.eml",  # opened a case
    ],
)
def test_a_bounce_real_mtas_write_opens_nothing(name: str) -> None:
    result = email_ingest(raw=eml(name), source="smtp")

    assert result.status == InboundStatus.BOUNCE
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0


def test_a_null_return_path_is_an_automatic_message() -> None:
    result = email_ingest(raw=eml("auto-reply-null-return-path.eml"), source="smtp")

    assert result.status == InboundStatus.AUTO_REPLY
    assert Case.objects.count() == 0


def test_a_customer_writing_delivery_failed_about_a_parcel_opens_a_case() -> None:
    result = email_ingest(raw=eml("person-parcel-delivery-failed.eml"), source="smtp")

    assert result.status == InboundStatus.OPENED


def test_a_delivery_status_in_a_mixed_message_is_read_and_its_action_normalised() -> (
    None
):
    parsed = email_parse(eml("bounce-dsn-in-mixed-action-failure.eml"))

    assert parsed.report is not None
    assert parsed.report.action == "failed"
    assert parsed.report.recipient == "absent@ailleurs.exemple"
    assert parsed.report.original_message_ids == ["sent-by-us-9@amiable.localhost"]


def test_a_bounce_in_a_mixed_message_marks_the_email_we_sent(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=make_email(message_id="<c@exemple.fr>"), source="smtp")
    sent = Interaction.objects.get(direction=Direction.OUTBOUND)
    raw = eml("bounce-dsn-in-mixed-action-failure.eml").replace(
        b"sent-by-us-9@amiable.localhost", sent.message_id.encode()
    )

    result = email_ingest(raw=raw, source="smtp")

    assert result.status == InboundStatus.BOUNCE
    assert result.case_id == sent.case_id
    sent.refresh_from_db()
    assert sent.metadata["delivery"] == "bounced"


def test_a_message_reusing_another_ones_message_id_is_not_lost(
    make_email: Callable[..., bytes],
) -> None:
    first = make_email(sender="ana@exemple.fr", message_id="<msg1>", body="Un.")
    second = make_email(sender="bea@exemple.fr", message_id="<msg1>", body="Deux.")

    one = email_ingest(raw=first, source="smtp")
    two = email_ingest(raw=second, source="smtp")
    again = email_ingest(raw=second, source="imap")

    assert (one.status, two.status) == (InboundStatus.OPENED, InboundStatus.OPENED)
    assert two.is_duplicate is False
    assert again.is_duplicate is True
    assert again.email_id == two.email_id
    assert Case.objects.count() == 2
    keys = list(
        InboundEmail.objects.order_by("id").values_list("dedupe_key", flat=True)
    )
    assert keys[0] == "mid:msg1"
    assert keys[1].startswith("mid-reused:")
    inbound = Interaction.objects.filter(direction=Direction.INBOUND).order_by("id")
    assert list(inbound.values_list("external_id", flat=True)) == ["msg1", keys[1]]
    assert list(inbound.values_list("message_id", flat=True)) == ["msg1", "msg1"]


def test_the_same_message_by_two_paths_with_added_headers_is_one(
    make_email: Callable[..., bytes],
) -> None:
    raw = make_email(message_id="<same@exemple.fr>")
    relayed = b"Received: from relay.exemple.net by mx\r\n" + re.sub(
        rb"Date: [^\r\n]+", b"Date: Tue, 01 Dec 2026 09:30:00 +0100", raw
    ).replace(b"Subject: ", b"Subject: [liste] ")

    email_ingest(raw=raw, source="smtp")
    result = email_ingest(raw=relayed, source="imap")

    assert result.is_duplicate is True
    assert InboundEmail.objects.count() == 1


def test_a_reply_to_a_reused_message_id_goes_on_the_customers_own_case(
    make_email: Callable[..., bytes],
) -> None:
    mine = make_email(sender="ana@exemple.fr", message_id="<msg1>", body="Un.")
    theirs = make_email(sender="bea@exemple.fr", message_id="<msg1>", body="Deux.")
    own_case = email_ingest(raw=mine, source="smtp").case_id
    email_ingest(raw=theirs, source="smtp")
    reply = make_email(
        sender="ana@exemple.fr", subject="Re: suite", in_reply_to="<msg1>"
    )

    result = email_ingest(raw=reply, source="smtp")

    assert result.status == InboundStatus.THREADED
    assert result.case_id == own_case


def test_a_message_over_the_size_limit_is_quarantined_with_its_source(
    make_email: Callable[..., bytes], settings: Settings
) -> None:
    settings.AMIABLE_INBOUND_MAX_BYTES = 2_000
    raw = make_email(body="Bonjour " * 400)

    result = email_ingest(raw=raw, source="imap")
    again = email_ingest(raw=raw, source="imap")

    assert result.status == InboundStatus.QUARANTINED
    assert result.reason == f"too large: {len(raw)} bytes (the limit is 2000)"
    assert again.is_duplicate is True
    email = InboundEmail.objects.get()
    assert email.raw.read() == raw
    assert Case.objects.count() == 0


def test_a_delayed_delivery_report_opens_nothing_and_does_not_bounce_the_email(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=make_email(message_id="<d@exemple.fr>"), source="smtp")
    sent = Interaction.objects.get(direction=Direction.OUTBOUND)
    raw = (
        eml("bounce-dsn-in-mixed-action-failure.eml")
        .replace(b"sent-by-us-9@amiable.localhost", sent.message_id.encode())
        .replace(b"Message-ID: <", b"Message-ID: <delayed-")
    )
    raw = re.sub(rb"Action: *\w+", b"Action: delayed", raw)
    raw = re.sub(rb"Status: *5\.\d\.\d+", b"Status: 4.4.7", raw)

    result = email_ingest(raw=raw, source="smtp")

    assert email_parse(raw).report.action == "delayed"  # type: ignore[union-attr]
    assert result.status == InboundStatus.AUTO_REPLY
    assert Case.objects.count() == 1  # the customer's own, nothing more
    sent.refresh_from_db()
    assert sent.metadata.get("delivery") != "bounced"


@pytest.mark.parametrize("linesep", [b"\n", b"\r\n"])
def test_a_first_header_folded_right_after_its_colon_is_kept(linesep: bytes) -> None:
    """RFC 5322 lets a field fold right after its colon (generators do it for a
    long encoded From); the message was quarantined as "no sender" when that first
    line was taken for junk before the headers."""
    raw = linesep.join(
        [
            b"From:",
            b" =?utf-8?q?H=C3=A9l=C3=A8ne_Dupr=C3=A9-Lef=C3=A8vre?=",
            b" <helene.dupre-lefevre@example.fr>",
            b"To: sav@example.com",
            b"Subject: =?utf-8?q?Colis_ab=C3=AEm=C3=A9?=",
            b"",
            "Bonjour, mon colis est arrivé abîmé.".encode(),
            b"",
        ]
    )

    parsed = email_parse(raw)

    assert parsed.from_address == "helene.dupre-lefevre@example.fr"
    assert parsed.from_name == "Hélène Dupré-Lefèvre"


def test_a_leading_url_line_is_not_taken_for_a_header() -> None:
    raw = b"http://example.com/archive\nFrom: a@example.fr\nSubject: x\n\nbody\n"

    parsed = email_parse(raw)

    assert parsed.from_address == "a@example.fr"
