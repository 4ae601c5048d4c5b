"""Issue 17, class 4: a Message-ID reused for a different message (another subject,
another text) no longer makes the second disappear as a « duplicate »; the same
message arriving again, by another route or through a list, is still stored once."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from amiable.conversations.models import Direction, Interaction
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.services import email_ingest

pytestmark = pytest.mark.django_db
MID = "<4f2a@script.exemple.fr>"


def _mail(
    subject: str,
    body: str,
    *,
    sender: str = "Commandes <commandes@boutique.exemple>",
    mid: str = MID,
    trace: str = "",
    date: str = "Tue, 01 Dec 2026 09:30:00 +0100",
) -> bytes:
    """A message as a broken script sends it (``trace``: the Received lines one
    route adds and another does not)."""
    return (
        f"{trace}From: {sender}\r\nTo: support@amiable.localhost\r\n"
        f"Subject: {subject}\r\nDate: {date}\r\nMessage-ID: {mid}\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f"Content-Transfer-Encoding: 8bit\r\n\r\n{body}\r\n"
    ).encode()


FIRST = _mail(
    "Commande 101 : retard",
    "Bonjour, la commande 101 a deux jours de retard, que se passe-t-il ?",
)
SECOND = _mail(
    "Remboursement 202",
    "Bonjour, je n'ai pas reçu le remboursement de la commande 202.",
)
THIRD = _mail(
    "Adresse de livraison",
    "Merci de livrer la commande 303 au 12 rue des Lilas, Brest.",
)
IMAP_TRACE = (
    "Received: from mx1.exemple.fr by imap.amiable.localhost;"
    " Tue, 01 Dec 2026 09:31:00 +0100\r\n"
    "Return-Path: <commandes@boutique.exemple>\r\n"
)
FILE_TRACE = (
    "Received: from relay.exemple.net by mx2.exemple.fr;"
    " Tue, 01 Dec 2026 09:30:40 +0100\r\n"
    "Received: from boutique.exemple by relay.exemple.net;"
    " Tue, 01 Dec 2026 09:30:20 +0100\r\n"
)


def test_one_sender_reusing_its_message_id_for_other_messages_loses_none() -> None:
    results = [email_ingest(raw=raw, source="smtp") for raw in (FIRST, SECOND, THIRD)]

    assert [result.is_duplicate for result in results] == [False, False, False]
    assert len({result.email_id for result in results}) == 3
    inbound = Interaction.objects.filter(direction=Direction.INBOUND).order_by("id")
    bodies = list(inbound.values_list("body_text", flat=True))
    assert ["101" in bodies[0], "202" in bodies[1], "303" in bodies[2]] == [True] * 3
    keys = list(InboundEmail.objects.values_list("dedupe_key", flat=True))
    assert sorted(key.split(":")[0] for key in keys) == [
        "mid",
        "mid-reused",
        "mid-reused",
    ]


def test_each_reused_message_imported_again_is_a_duplicate_of_itself() -> None:
    stored = [email_ingest(raw=raw, source="smtp") for raw in (FIRST, SECOND, THIRD)]

    again = [email_ingest(raw=raw, source="command") for raw in (THIRD, FIRST, SECOND)]

    assert all(result.is_duplicate for result in again)
    assert [result.email_id for result in again] == [
        stored[2].email_id,
        stored[0].email_id,
        stored[1].email_id,
    ]
    assert InboundEmail.objects.count() == 3


def test_the_same_message_by_imap_then_from_a_file_is_stored_once() -> None:
    by_imap = email_ingest(
        raw=_mail(
            "Commande 101 : retard",
            FIRST.split(b"\r\n\r\n")[1].decode().strip(),
            trace=IMAP_TRACE,
        ),
        source="imap",
    )

    from_file = email_ingest(
        raw=_mail(
            "Commande 101 : retard",
            FIRST.split(b"\r\n\r\n")[1].decode().strip(),
            trace=FILE_TRACE,
        ),
        source="command",
    )

    assert from_file.is_duplicate
    assert from_file.email_id == by_imap.email_id


@pytest.mark.parametrize(
    ("subject", "body", "date"),
    [
        # a list added a footer and tagged the subject
        (
            "[clients] Commande 101 : retard",
            "Bonjour, la commande 101 a deux jours de retard, que se passe-t-il ?"
            "\n\n--\nListe clients : désinscription https://listes.exemple/",
            None,
        ),
        # a relay re-stamped the Date, a gateway marked the subject
        (
            "***SPAM*** Commande 101 : retard",
            "Bonjour, la commande 101 a deux jours de retard, que se passe-t-il ?",
            "Tue, 01 Dec 2026 08:31:09 +0000",
        ),
        # a reply prefix added by a forwarding rule
        (
            "TR: Commande 101 : retard",
            "Bonjour, la commande 101 a deux jours de retard, que se passe-t-il ?",
            None,
        ),
    ],
)
def test_the_same_message_changed_on_the_way_is_still_a_duplicate(
    subject: str, body: str, date: str | None
) -> None:
    first = email_ingest(raw=FIRST, source="smtp")
    changed = _mail(subject, body, date=date) if date else _mail(subject, body)

    again = email_ingest(raw=changed, source="imap")

    assert again.is_duplicate
    assert again.email_id == first.email_id


def test_a_short_text_with_another_subject_is_another_message() -> None:
    first = email_ingest(raw=_mail("Commande 101", "Merci !"), source="smtp")

    second = email_ingest(raw=_mail("Facture 7", "Merci !"), source="smtp")

    assert not second.is_duplicate
    assert second.email_id != first.email_id


def test_a_reused_id_on_a_message_that_cannot_be_read_is_quarantined_not_dropped() -> (
    None
):
    email_ingest(raw=FIRST, source="smtp")
    unreadable = _mail("Commande 101 : retard", "x").replace(
        b"From: Commandes <commandes@boutique.exemple>", b"From: nobody"
    )

    result = email_ingest(raw=unreadable, source="smtp")

    assert result.status == InboundStatus.QUARANTINED
    assert not result.is_duplicate
    assert InboundEmail.objects.count() == 2


def test_a_row_stored_under_the_former_reused_key_is_still_recognised() -> None:
    """Rows from before this change keep their key (id and sender only)."""
    email_ingest(
        raw=_mail(
            "Autre",
            "Un autre message, d'un autre expéditeur, même identifiant.",
            sender="x@ailleurs.exemple",
        ),
        source="smtp",
    )
    legacy = email_ingest(raw=FIRST, source="smtp")
    identity = InboundEmail.objects.get(pk=legacy.email_id).identity_sha256
    former = hashlib.sha256(f"{MID.strip('<>')}\n{identity}".encode()).hexdigest()
    InboundEmail.objects.filter(pk=legacy.email_id).update(
        dedupe_key=f"mid-reused:{former}"
    )

    again = email_ingest(raw=FIRST, source="command")

    assert again.is_duplicate
    assert again.email_id == legacy.email_id


def test_email_import_twice_stores_every_reused_id_message_once(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for index, raw in enumerate((FIRST, SECOND, THIRD)):
        (folder / f"{index}.eml").write_bytes(raw)
    (folder / "3-copy-via-relay.eml").write_bytes(FILE_TRACE.encode() + SECOND)
    out = StringIO()

    call_command("email_import", str(folder), stdout=out)
    call_command("email_import", str(folder), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "Messages: 4; ingested: 3; duplicates: 1; crashes: 0"
    second_run = [line for line in lines if line.startswith("Messages:")][1]
    assert second_run == "Messages: 4; ingested: 0; duplicates: 4; crashes: 0"
    assert InboundEmail.objects.count() == 3
    assert Interaction.objects.filter(direction=Direction.INBOUND).count() == 3
