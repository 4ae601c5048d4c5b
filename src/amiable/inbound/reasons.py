"""Why a message was quarantined: a stable, language-neutral code stored beside the
technical detail (``InboundEmail.reason``, English, for administrators and logs),
and the sentence shown to a reader, rendered in the reader's language.

Rows stored before codes existed have an empty code: their detail is shown as is.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class QuarantineCode(models.TextChoices):
    EMPTY = "empty", _("The message is empty.")
    NO_HEADERS = "no_headers", _("No email headers were found: this is not an email.")
    MIME_FAILED = "mime_failed", _("The structure of the message could not be read.")
    NO_SENDER = "no_sender", _("The message has no sender (no From header).")
    NO_VALID_SENDER = (
        "no_valid_sender",
        _("The sender's address in From is not a valid address."),
    )
    TOO_LARGE = "too_large", _("The message is larger than the limit for inbound mail.")
    REJECTED = "rejected", _("The message was refused by a business rule.")
    DATABASE_REFUSED = "database_refused", _("The database refused what it became.")
    UNEXPECTED_ERROR = (
        "unexpected_error",
        _("An unexpected error stopped its reading (a bug to report)."),
    )


def reason_text(code: str, detail: str) -> str:
    """The reason to show, in the active language: the sentence of ``code`` and the
    technical ``detail``; the detail alone for rows without a code."""
    if code not in QuarantineCode.values:
        return detail
    sentence = str(QuarantineCode(code).label)
    if not detail:
        return sentence
    return gettext("%(sentence)s Detail: %(detail)s") % {
        "sentence": sentence,
        "detail": detail,
    }
