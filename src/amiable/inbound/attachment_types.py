"""The real type of an inbound attachment, read from its first bytes.

Mail clients and phones often declare the wrong type (a JPEG photo sent as
``image/gif``, a PDF as ``text/plain``). What the bytes really are decides: a file
whose real type is allowed is kept under that type, with a note; one whose real type
is not allowed (a program) is refused under its real type.

The bytes are read by ``amiable.conversations.file_types.sniff`` (the ``filetype``
library plus the few cases it does not cover); bytes it does not know are left as
declared (``check_attachment`` still verifies the declared type).
"""

from __future__ import annotations

from dataclasses import dataclass

from amiable.conversations.file_types import same_family, sniff

_UNDECLARED = frozenset({"application/octet-stream", "application/x-download", ""})


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
    if not real or real == declared or same_family(real, declared):
        return RealType(content_type=declared, declared=declared, is_retyped=False)
    if declared in _UNDECLARED:  # no real claim to contradict
        return RealType(content_type=real, declared=declared, is_retyped=False)
    return RealType(content_type=real, declared=declared, is_retyped=True)
