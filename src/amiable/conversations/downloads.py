"""Serving a stored attachment as a download, whatever its name and type claim."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from amiable.conversations.models import Attachment

_UNSAFE_IN_QUOTES = re.compile(r'[^\x20-\x7e]|["\\]')


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback name and the exact UTF-8 name (RFC 6266,
    RFC 5987), so "Réclamation été.pdf" arrives with its accents."""
    name = filename.replace("\r", "").replace("\n", "").strip() or "attachment"
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = _UNSAFE_IN_QUOTES.sub("_", folded).strip() or "attachment"
    return (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
    )


def attachment_response(attachment: Attachment) -> FileResponse:
    """A download of the stored bytes with the stored content type; never rendered
    inline, never sniffed. Raises Http404 when the file is missing from storage."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("The file of this attachment is missing.")) from exc
    response = FileResponse(
        handle, content_type=attachment.content_type or "application/octet-stream"
    )
    response["Content-Disposition"] = content_disposition(attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
