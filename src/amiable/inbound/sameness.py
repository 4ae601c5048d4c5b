"""Whether two raw emails that carry one Message-ID are the same message.

The same message comes back by another route (IMAP, then a file import), through
a list that adds a footer or tags the subject, resent by a relay with a new Date:
it is a duplicate. Broken clients and scripts also give one Message-ID to
different messages (another subject, another text): each must be stored. So the
content decides, not the Message-ID: two copies are the same message when only
their trace headers differ, or when they come from the same sender and one's text
holds the other's (a footer or a banner added on the way keeps it), their subjects
agreeing once reply prefixes and tags are set aside when the text is too short to
tell — or, their texts both empty, when subjects and attachments agree.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from amiable.inbound.mail_headers import content_fingerprint
from amiable.inbound.parsing import EmailUnparseableError, email_parse

_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|tr|aw|wg|sv|vs|antw|réf|ref)\s*(?:\[\d+\])?\s*:|\[[^\]]{0,60}\])\s*",
    re.IGNORECASE,
)


SUBSTANTIAL_TEXT = 40  # characters (spaces collapsed)


@dataclass(frozen=True)
class Content:
    sender: str
    subject: str  # without reply prefixes and [tags], lower-cased, spaces collapsed
    text: str  # spaces collapsed
    attachments: frozenset[str]  # SHA-256 of each attachment
    fingerprint: str


def subject_key(subject: str) -> str:
    previous = None
    subject = " ".join(subject.split())
    while previous != subject:
        previous, subject = subject, _PREFIX.sub("", subject)
    return subject.casefold()


def content_of(raw: bytes) -> Content:
    """What tells messages apart (their bytes when they cannot be parsed)."""
    fingerprint = content_fingerprint(raw)
    try:
        parsed = email_parse(raw)
    except EmailUnparseableError:
        return Content("", "", "", frozenset(), fingerprint)
    return Content(
        sender=parsed.from_address,
        subject=subject_key(parsed.subject),
        text=" ".join(parsed.text.split()),
        attachments=frozenset(
            hashlib.sha256(item.content).hexdigest() for item in parsed.attachments
        ),
        fingerprint=fingerprint,
    )


def _subjects_agree(first: str, second: str) -> bool:
    return first == second or (
        bool(first and second) and (first in second or second in first)
    )


def is_same_message(first: Content, second: Content) -> bool:
    """``first`` and ``second`` are copies of one message (see the module)."""
    if first.fingerprint == second.fingerprint:
        return True  # only trace headers (Received, Return-Path...) differ
    if first.sender != second.sender:
        return False
    shorter, longer = sorted((first.text, second.text), key=len)
    if not shorter:  # no text to compare: the subject and the attachments decide
        return (
            not longer
            and first.attachments == second.attachments
            and _subjects_agree(first.subject, second.subject)
        )
    if shorter not in longer:
        return False
    # A text long enough to be the message's own is proof enough (a gateway may
    # rewrite the subject: "***SPAM***", "[EXT]"); a short one must agree with
    # the subject too ("Merci", "Envoyé de mon iPhone" say nothing).
    return len(shorter) >= SUBSTANTIAL_TEXT or _subjects_agree(
        first.subject, second.subject
    )
