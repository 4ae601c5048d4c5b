"""Checking attachments before they are stored: size and content type.

The bytes are read by ``file_types.sniff`` (the ``filetype`` library): a program
is refused whatever its declared type, and a file declared as one of
``_VERIFIED_TYPES`` must really be one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from amiable.conversations.errors import (
    AttachmentRejectedError,
    AttachmentTooLargeError,
)
from amiable.conversations.file_types import EXECUTABLE, same_family, sniff

# Declared types whose bytes must say the same (filetype knows their signatures).
_VERIFIED_TYPES = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "image/gif", "application/zip"}
)
# File names a mail client or a desktop would run when opened, whatever the bytes.
_EXECUTABLE_EXTENSIONS = (
    ".exe", ".com", ".scr", ".pif", ".bat", ".cmd", ".msi", ".dll", ".vbs", ".vbe",
    ".js", ".jse", ".wsf", ".hta", ".ps1", ".jar", ".lnk", ".app", ".sh",
)  # fmt: skip


def check_attachment_size(filename: str, size: int) -> None:
    """Raise AttachmentTooLargeError (413) when ``size`` is over the limit."""
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise AttachmentTooLargeError(
            _("%(name)s is too large (%(size)d bytes, at most %(max)d).")
            % {"name": filename, "size": size, "max": settings.ATTACHMENT_MAX_BYTES},
            fields={"attachments": [filename]},
        )


@dataclass(frozen=True)
class AttachmentIn:
    filename: str
    content_type: str
    content: bytes
    is_inline: bool = False


def check_attachment(attachment: AttachmentIn) -> str:
    """Return the SHA-256 of an acceptable attachment.

    Raises AttachmentTooLargeError (413) for a file over the size limit and
    AttachmentRejectedError (422) for a refused type; both carry the code
    ``attachment_rejected``.
    """
    size = len(attachment.content)
    field = {"attachments": [attachment.filename]}
    check_attachment_size(attachment.filename, size)
    content_type = attachment.content_type.split(";")[0].strip().lower()
    if content_type not in settings.ATTACHMENT_ALLOWED_TYPES:
        raise AttachmentRejectedError(
            _("%(name)s: files of type %(type)s are not accepted.")
            % {"name": attachment.filename, "type": content_type},
            fields=field,
        )
    real = sniff(attachment.content, attachment.filename)
    if real == EXECUTABLE or (
        attachment.filename.strip().lower().rstrip(".").endswith(_EXECUTABLE_EXTENSIONS)
    ):
        raise AttachmentRejectedError(
            _("%(name)s looks like a program and was refused.")
            % {"name": attachment.filename},
            fields=field,
        )
    verified = content_type in _VERIFIED_TYPES and size
    if verified and real != content_type and not same_family(real, content_type):
        raise AttachmentRejectedError(
            _("%(name)s is not really a %(type)s file.")
            % {"name": attachment.filename, "type": content_type},
            fields=field,
        )
    return hashlib.sha256(attachment.content).hexdigest()


def attachments_from_uploads(uploads: Iterable[UploadedFile]) -> list[AttachmentIn]:
    """Read uploaded files into AttachmentIn, refusing an oversized one before its
    bytes are read into memory (AttachmentTooLargeError)."""
    attachments = []
    for upload in uploads:
        filename = upload.name or "attachment"
        check_attachment_size(filename, upload.size or 0)
        attachments.append(
            AttachmentIn(
                filename=filename,
                content_type=upload.content_type or "application/octet-stream",
                content=upload.read(),
            )
        )
    return attachments
