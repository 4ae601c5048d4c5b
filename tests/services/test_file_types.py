"""The real type of a file from its bytes: the filetype library's answers under the
project's names, and the cases it does not cover (scripts, Mach-O, OOXML zips
whose parts come late, OLE2 by file name)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pytest
from django.utils import translation

from amiable.conversations.attachments import AttachmentIn, check_attachment
from amiable.conversations.errors import AttachmentRejectedError
from amiable.conversations.file_types import EXECUTABLE, sniff

WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<?xml version='1.0'?><é/>")
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _apng() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"acTL", struct.pack(">II", 1, 0))
        + _png_chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00\x00"))
        + _png_chunk(b"IEND", b"")
    )


# A .docx as Word writes it: word/ comes after four other parts.
LATE_DOCX = _zip(
    [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/app.xml",
        "docProps/core.xml",
        "customXml/item1.xml",
        "word/document.xml",
    ]
)
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00" + b"\x00" * 20


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"MZ\x90\x00" + b"\x00" * 60, "photo.gif", EXECUTABLE),  # PE
        (b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56, "scan.jpg", EXECUTABLE),
        (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 24, "app", EXECUTABLE),
        ("#!/usr/bin/env python3\nprint('é')\n".encode(), "facture.pdf", EXECUTABLE),
        (WAV, "message.wav", "audio/wav"),
        (_apng(), "anim.png", "image/png"),
        (LATE_DOCX, "devis.docx", WORD),
        (_zip(["xl/workbook.xml"]), "prix.xlsx", SHEET),
        (_zip(["photos/colis.jpg"]), "photos.zip", "application/zip"),
        (OLE2, "Devis.XLS", "application/vnd.ms-excel"),
        (OLE2, "devis.doc", "application/msword"),
        (OLE2, "devis", ""),
        ("Réclamation;Prix\n".encode("utf-16"), "export.csv", ""),
        (b"", "vide.pdf", ""),
    ],
)
def test_sniff_names_the_real_type(
    content: bytes, filename: str, expected: str
) -> None:
    assert sniff(content, filename) == expected


def test_check_attachment_accepts_what_the_library_names_differently() -> None:
    check_attachment(AttachmentIn("anim.png", "image/png", _apng()))
    check_attachment(AttachmentIn("devis.zip", "application/zip", LATE_DOCX))


def test_check_attachment_refuses_a_mach_o_program_posing_as_an_image() -> None:
    program = b"\xfe\xed\xfa\xcf" + b"\x00" * 28
    with (
        translation.override("en"),
        pytest.raises(AttachmentRejectedError, match="looks like a program"),
    ):
        check_attachment(AttachmentIn("photo.png", "image/png", program))


def _odf(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<?xml version='1.0'?><office/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "mimetype",
    [
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/epub+zip",
    ],
)
def test_check_attachment_keeps_a_zip_based_document_sent_as_a_zip(
    mimetype: str,
) -> None:
    """A tableur .ods or an epub declared ``application/zip`` is a zip: its bytes
    do not contradict the declared type."""
    content = _odf(mimetype)
    assert sniff(content, "classeur.zip") == mimetype

    assert check_attachment(AttachmentIn("classeur.zip", "application/zip", content))
