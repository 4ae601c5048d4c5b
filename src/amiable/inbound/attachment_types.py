"""The real type of an attachment, read from its first bytes (« magic numbers »).

Mail clients and phones often declare the wrong type (a JPEG photo sent as
``image/gif``, a PDF as ``text/plain``). What the bytes really are decides: a file
whose real type is allowed is kept under that type, with a note; one whose real type
is not allowed (a program) is refused under its real type.

No file-type library is a dependency of the project, and the allowed types are few,
so this is a small table of the published signatures of exactly those types
(PDF, PNG, JPEG, GIF, WebP, ZIP and the Office/OpenDocument formats built on it,
OLE2 for the old Office formats, MP3, WAV) and of executables; anything else is
left as declared (``check_attachment`` still verifies the declared type).
"""

from __future__ import annotations

from dataclasses import dataclass

EXECUTABLE = "application/x-executable"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"ID3", "audio/mpeg"),
    (b"MZ", EXECUTABLE),  # Windows PE
    (b"\x7fELF", EXECUTABLE),
    (b"\xfe\xed\xfa\xce", EXECUTABLE),  # Mach-O, 32 and 64 bits, both orders
    (b"\xfe\xed\xfa\xcf", EXECUTABLE),
    (b"\xce\xfa\xed\xfe", EXECUTABLE),
    (b"\xcf\xfa\xed\xfe", EXECUTABLE),
    (b"#!", EXECUTABLE),  # a script with its interpreter
)
_MP3_FRAMES = (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OOXML = {
    b"word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    b"xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_UNDECLARED = frozenset({"application/octet-stream", "application/x-download", ""})
_OLE_BY_EXTENSION = {".doc": "application/msword", ".xls": "application/vnd.ms-excel"}
# Types that name the same bytes (a .docx is a zip; "audio/mp3" is audio/mpeg):
# a declared type of the sniffed one's family is no contradiction.
_FAMILIES = (
    frozenset(
        {
            "application/zip",
            "application/x-zip-compressed",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "application/vnd.oasis.opendocument.text",
        }
    ),
    frozenset({"audio/mpeg", "audio/mp3"}),
    frozenset({"audio/wav", "audio/x-wav", "audio/wave"}),
    frozenset({"image/jpeg", "image/pjpeg", "image/jpg"}),
)


def _same_family(first: str, second: str) -> bool:
    return any(first in family and second in family for family in _FAMILIES)


def _zip_kind(content: bytes) -> str:
    head = content[:65536]
    if head[30:38] == b"mimetype":  # ODF: the mimetype file, stored first
        declared = head[38:120].split(b"PK", 1)[0].decode("ascii", "replace")
        return declared.strip() or "application/zip"
    for marker, kind in _OOXML.items():
        if marker in head:
            return kind
    return "application/zip"


def sniff(content: bytes, filename: str = "") -> str:
    """The type the bytes say, or "" when they say nothing we know."""
    for prefix, kind in _PREFIXES:
        if content.startswith(prefix):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[:4] == b"RIFF" and content[8:12] == b"WAVE":
        return "audio/wav"
    if content.startswith(_ZIP):
        return _zip_kind(content)
    if content.startswith(_OLE2):
        extension = filename.lower().rpartition(".")[2]
        return _OLE_BY_EXTENSION.get(f".{extension}", "")
    if content.startswith(_MP3_FRAMES):
        return "audio/mpeg"
    return ""


@dataclass(frozen=True)
class RealType:
    content_type: str
    declared: str
    is_retyped: bool  # the bytes contradicted the declared type


def attachment_real_type(declared: str, content: bytes, filename: str) -> RealType:
    """The type to store ``content`` under: the sniffed one when the bytes
    contradict ``declared`` (allowed or not: refusal happens under the real type),
    else the declared one."""
    declared = declared.split(";")[0].strip().lower()
    real = sniff(content, filename)
    if not real or real == declared or _same_family(real, declared):
        return RealType(content_type=declared, declared=declared, is_retyped=False)
    if declared in _UNDECLARED:  # no real claim to contradict
        return RealType(content_type=real, declared=declared, is_retyped=False)
    return RealType(content_type=real, declared=declared, is_retyped=True)
