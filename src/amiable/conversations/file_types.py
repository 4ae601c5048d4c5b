"""The real type of a file, read from its first bytes (« magic numbers »).

The signatures come from the ``filetype`` library (PyPI, pure Python, no
dependencies); this module maps its names onto the ones the project uses
(``settings.ATTACHMENT_ALLOWED_TYPES``) and adds the few cases it does not cover.
``sniff`` answers "" when the bytes say nothing it knows.
"""

from __future__ import annotations

import filetype

EXECUTABLE = "application/x-executable"
_OOXML_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_OOXML_SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CANONICAL = {  # filetype's names where ours differ ("" = says nothing)
    "application/x-msdownload": EXECUTABLE,  # Windows PE
    "audio/x-wav": "audio/wav",
    "image/apng": "image/png",  # an animated PNG is a PNG to every viewer
    "application/octet-stream": "",
}
# filetype 1.2.0 has no matcher for scripts (text with an interpreter line) nor
# for Mach-O programs (32 and 64 bits, both byte orders).
_PROGRAMS = (
    b"#!",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
)
# filetype knows only .odt/.ods/.odp by their ``mimetype`` entry, and OOXML only
# when word/ or xl/ is among the first zip entries: other producers order them
# differently, so a plain "zip" is looked at once more.
_OOXML = {b"word/": _OOXML_WORD, b"xl/": _OOXML_SHEET}
# filetype tells an OLE2 .doc or .xls by internal markers many producers omit;
# the container is the same, so the file name decides.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_BY_EXTENSION = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}
# Types that name the same bytes (a .docx is a zip; "audio/mp3" is audio/mpeg):
# a declared type of the sniffed one's family is no contradiction.
_FAMILIES = (
    frozenset(
        {
            "application/zip",
            "application/x-zip-compressed",
            _OOXML_WORD,
            _OOXML_SHEET,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "application/vnd.oasis.opendocument.text",
            "application/vnd.oasis.opendocument.spreadsheet",
            "application/vnd.oasis.opendocument.presentation",
            "application/vnd.oasis.opendocument.graphics",
            "application/epub+zip",
        }
    ),
    frozenset({"audio/mpeg", "audio/mp3"}),
    frozenset({"audio/wav", "audio/x-wav", "audio/wave"}),
    frozenset({"image/jpeg", "image/pjpeg", "image/jpg"}),
)


def same_family(first: str, second: str) -> bool:
    return any(first in family and second in family for family in _FAMILIES)


def _zip_kind(content: bytes) -> str:
    head = content[:65536]
    if head[30:38] == b"mimetype":  # ODF: the mimetype entry, stored first
        declared = head[38:120].split(b"PK", 1)[0].decode("ascii", "replace")
        return declared.strip() or "application/zip"
    return next(
        (kind for mark, kind in _OOXML.items() if mark in head), "application/zip"
    )


def sniff(content: bytes, filename: str = "") -> str:
    """The type the bytes say, or "" when they say nothing we know."""
    if content.startswith(_PROGRAMS):
        return EXECUTABLE
    guess = filetype.guess(content)  # reads the first 8 KiB
    mime: str = guess.mime if guess else ""
    kind = _CANONICAL.get(mime, mime)
    if kind == "application/zip":
        return _zip_kind(content)
    if not kind and content.startswith(_OLE2):
        return _OLE_BY_EXTENSION.get(filename.lower().rpartition(".")[2], "")
    return kind
