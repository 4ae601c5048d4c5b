"""Issue 17, classes 3, 6 and 7: a part the stdlib cannot re-serialise or decode
costs a note, never the message; an attachment is judged by what its bytes are,
not by the type it was declared with; an inline text part with a file name is the
body when the message has no other text."""

from __future__ import annotations

from email import policy
from email.message import Message
from email.parser import BytesParser

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Team
from amiable.conversations.file_types import sniff
from amiable.conversations.models import Interaction
from amiable.inbound.attachment_types import attachment_real_type
from amiable.inbound.models import InboundStatus, Mailbox
from amiable.inbound.parsing import email_parse
from amiable.inbound.services import IngestResult, email_ingest
from tests.inbound.parts_fixtures import (
    BROKEN_ENCODINGS,
    ELF,
    EXE,
    GIF,
    JPEG,
    PDF,
    PNG,
    UNSERIALISABLE,
    WEBP,
    attachment_message,
    inline_named_text,
)

pytestmark = pytest.mark.django_db


def _interaction(result: IngestResult) -> Interaction:
    assert result.interaction_id is not None, result.reason
    return Interaction.objects.get(pk=result.interaction_id)


CRASHING = [
    "fwd-fullwidth-message-id",
    "fwd-encoded-fullwidth-message-id",
    "fwd-empty-angle-message-id",
]


@pytest.mark.parametrize("name", CRASHING)
def test_the_fixture_really_breaks_the_standard_library(name: str) -> None:
    raw, _expected = UNSERIALISABLE[name]
    message = BytesParser(policy=policy.compat32).parsebytes(raw)
    forwarded = message.get_payload(1)
    assert isinstance(forwarded, Message)
    inner = forwarded.get_payload(0)
    assert isinstance(inner, Message)

    with pytest.raises((IndexError, UnicodeEncodeError)):
        inner.as_bytes(policy=policy.SMTP)


@pytest.mark.parametrize("name", sorted(UNSERIALISABLE))
def test_a_forward_as_attachment_that_breaks_the_stdlib_becomes_a_case(
    name: str,
) -> None:
    raw, expected = UNSERIALISABLE[name]

    result = email_ingest(raw=raw, source="smtp")

    assert result.status == InboundStatus.OPENED, result.reason
    interaction = _interaction(result)
    assert "le colis n'est jamais arrivé" in interaction.body_text
    attachment = interaction.attachments.get()
    assert attachment.filename == "Livraison 4521.eml"
    with attachment.file.open("rb") as handle:
        content = handle.read()
    assert expected.encode() in content  # the embedded message's text is kept
    assert b"Livraison 4521" in content
    if name in CRASHING:
        parts = interaction.metadata["unreadable_parts"]
        assert parts[0]["part"] == "message/rfc822 Livraison 4521"
        assert parts[0]["error"] in {"IndexError", "UnicodeEncodeError"}


@pytest.mark.parametrize("name", sorted(BROKEN_ENCODINGS))
def test_a_badly_encoded_part_becomes_a_case_with_what_could_be_read(
    name: str,
) -> None:
    raw, expected = BROKEN_ENCODINGS[name]

    result = email_ingest(raw=raw, source="smtp")

    assert result.status == InboundStatus.OPENED, result.reason
    interaction = _interaction(result)
    assert expected in interaction.body_text


def test_base64_cut_short_is_decoded_as_far_as_it_goes_with_a_note() -> None:
    raw = (
        b"From: a@exemple.fr\r\nTo: support@amiable.localhost\r\nSubject: Bon\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\nQm9uam91ciwgbWVyY2kgZ\r\n"
    )  # "Bonjour, merci e" cut to 21 characters: a length no decoder takes

    parsed = email_parse(raw)

    assert parsed.text.startswith("Bonjour, merci")
    assert [item.error for item in parsed.unreadable] == ["binascii.Error"]


def test_a_boundary_never_used_is_found_in_the_body_and_noted() -> None:
    parsed = email_parse(BROKEN_ENCODINGS["boundary-never-found"][0])

    assert parsed.text == "Le colis est arrivé abîmé."
    assert parsed.attachments == []
    assert parsed.unreadable[0].error == "StartBoundaryNotFoundDefect"


def test_a_message_cut_short_keeps_its_text_and_says_so() -> None:
    parsed = email_parse(BROKEN_ENCODINGS["closing-boundary-missing"][0])

    assert "retourner l'article" in parsed.text
    assert parsed.unreadable[0].error == "CloseBoundaryNotFoundDefect"


def test_the_note_is_shown_on_the_case_timeline(web_client: Client, team: Team) -> None:
    mailbox = Mailbox.objects.create(
        name="Support", address="support@amiable.localhost", team=team
    )
    raw, _expected = UNSERIALISABLE["fwd-fullwidth-message-id"]
    result = email_ingest(raw=raw, source="smtp", mailbox=mailbox)

    page = web_client.get(reverse("cases:detail", args=[result.case_id]))

    assert page.status_code == 200
    assert "(message/rfc822 Livraison 4521)" in page.content.decode()


# Class 6: mislabelled attachments.


@pytest.mark.parametrize(
    ("declared", "content", "real"),
    [
        ("image/gif", JPEG, "image/jpeg"),  # the reported case
        ("image/png", JPEG, "image/jpeg"),
        ("image/jpeg", PNG, "image/png"),
        ("image/jpeg", GIF, "image/gif"),
        ("text/plain", PDF, "application/pdf"),
        ("image/gif", WEBP, "image/webp"),
    ],
)
def test_a_mislabelled_allowed_file_is_kept_under_its_real_type(
    declared: str, content: bytes, real: str
) -> None:
    extension = declared.rpartition("/")[2]
    raw = attachment_message(
        f"mislabel-{extension}-{real[-3:]}", [(declared, f"photo.{extension}", content)]
    )

    result = email_ingest(raw=raw, source="smtp")

    interaction = _interaction(result)
    attachment = interaction.attachments.get()
    assert attachment.content_type == real
    assert attachment.filename == f"photo.{extension}"
    assert interaction.metadata["retyped_attachments"] == [
        {"filename": f"photo.{extension}", "declared": declared, "real": real}
    ]
    assert "refused_attachments" not in interaction.metadata


@pytest.mark.parametrize(
    ("declared", "filename", "content"),
    [
        ("image/gif", "photo.gif", EXE),  # a Windows program posing as an image
        ("image/jpeg", "scan.jpg", ELF),
        ("application/pdf", "facture.pdf", b"#!/bin/sh\nrm -rf ~\n"),
    ],
)
def test_a_program_under_an_allowed_type_is_still_refused(
    declared: str, filename: str, content: bytes
) -> None:
    raw = attachment_message(f"program-{filename}", [(declared, filename, content)])

    result = email_ingest(raw=raw, source="smtp")

    interaction = _interaction(result)
    assert not interaction.attachments.exists()
    assert [
        item["filename"] for item in interaction.metadata["refused_attachments"]
    ] == [filename]


def test_several_attachments_each_judged_by_its_bytes() -> None:
    raw = attachment_message(
        "several",
        [
            ("image/gif", "colis-1.gif", JPEG),
            ("image/png", "colis-2.png", PNG),
            ("image/png", "virus.png", EXE),
        ],
    )

    result = email_ingest(raw=raw, source="smtp")

    interaction = _interaction(result)
    kept = dict(interaction.attachments.values_list("filename", "content_type"))
    assert kept == {"colis-1.gif": "image/jpeg", "colis-2.png": "image/png"}
    assert [
        item["filename"] for item in interaction.metadata["refused_attachments"]
    ] == ["virus.png"]


def test_sniffing_knows_the_office_formats_and_leaves_unknown_bytes_alone() -> None:
    docx = b"PK\x03\x04" + b"\x00" * 26 + b"[Content_Types].xml" + b"word/document.xml"
    odt = (
        b"PK\x03\x04"
        + b"\x00" * 26
        + b"mimetypeapplication/vnd.oasis.opendocument.textPK"
    )
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40

    assert sniff(docx).endswith("wordprocessingml.document")
    assert sniff(odt) == "application/vnd.oasis.opendocument.text"
    assert sniff(ole, "devis.doc") == "application/msword"
    assert sniff(b"Nom;Prix\nT-shirt;12\n") == ""
    declared_zip = attachment_real_type("application/zip", docx, "a.zip")
    assert not declared_zip.is_retyped  # a .docx is a zip: no contradiction
    octet = attachment_real_type("application/octet-stream", JPEG, "a")
    assert octet.content_type == "image/jpeg"
    assert not octet.is_retyped


# Class 7: an inline text part with a file name is the body.


@pytest.mark.parametrize(
    ("filename", "body", "charset"),
    [
        ("message.txt", "Bonjour, le colis 4521 n'est pas arrivé.".encode(), "utf-8"),
        (
            "Réclamation.txt",
            "Le produit est défectueux, je veux un échange.".encode("iso-8859-1"),
            "iso-8859-1",
        ),
        ("body.txt", b"Hello, my order 778 never arrived.", "us-ascii"),
    ],
)
def test_an_inline_text_part_with_a_file_name_is_the_body(
    filename: str, body: bytes, charset: str
) -> None:
    raw = inline_named_text(
        f"inline-{filename}", filename=filename, body=body, charset=charset
    )

    result = email_ingest(raw=raw, source="smtp")

    interaction = _interaction(result)
    assert interaction.body_text == body.decode(charset)
    assert "empty_body" not in interaction.metadata
    # still an attachment too, as every part with a file name is
    assert list(interaction.attachments.values_list("filename", flat=True)) == [
        filename
    ]


def test_a_named_text_part_without_disposition_is_the_body_too() -> None:
    raw = inline_named_text(
        "inline-nodisp",
        filename="note.txt",
        body=b"Merci de me rappeler.",
        disposition="",
    )

    parsed = email_parse(raw)

    assert parsed.text == "Merci de me rappeler."


def test_a_named_text_attachment_beside_a_real_body_stays_an_attachment() -> None:
    extra = (
        b"--in\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Voici le journal de l'erreur en pi\xc3\xa8ce jointe.\r\n"
    )
    raw = inline_named_text(
        "inline-log",
        filename="journal.txt",
        body=b"ERROR 42 at line 7",
        extra_parts=extra,
    )

    parsed = email_parse(raw)

    assert parsed.text == "Voici le journal de l'erreur en pièce jointe."
    assert [item.filename for item in parsed.attachments] == ["journal.txt"]


def test_a_text_part_declared_as_attachment_is_never_the_body() -> None:
    raw = inline_named_text(
        "attached-only",
        filename="notes.txt",
        body=b"liste de courses",
        disposition="attachment",
    )

    parsed = email_parse(raw)

    assert parsed.text == ""
    assert [item.filename for item in parsed.attachments] == ["notes.txt"]
