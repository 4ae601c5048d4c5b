"""Telling a copy of a stored message from another message that reuses its key.

Called only when a ledger key is already taken (rare): the stored copies with the
same Message-ID are read back from the raw sources kept and compared by content
(``amiable.inbound.sameness``). A copy of one of them is a duplicate; anything else
is another message, stored under a key of its own (Message-ID, sender and content
fingerprint), so a reused Message-ID never makes a message disappear.
"""

from __future__ import annotations

import hashlib
import logging

from amiable.inbound.mail_headers import content_fingerprint
from amiable.inbound.models import InboundEmail
from amiable.inbound.sameness import Content, content_of, is_same_message, subject_key

logger = logging.getLogger(__name__)
MAX_COMPARED = 50  # copies read back at most (a Message-ID reused thousands of times)


def reused_key_of(message_id: str, identity: str, fingerprint: str = "") -> str:
    """The ledger key of a message that reuses the Message-ID of another: its
    sender's ``identity`` and, when one sender reuses its own id, its content."""
    material = f"{message_id}\n{identity}"
    if fingerprint:
        material += f"\n{fingerprint}"
    return f"mid-reused:{hashlib.sha256(material.encode()).hexdigest()}"


def _stored_raw(email: InboundEmail) -> bytes | None:
    try:
        with email.raw.open("rb") as handle:
            return bytes(handle.read())
    except (OSError, ValueError):
        logger.warning("raw source of inbound email %s unreadable", email.pk)
        return None


class _Incoming:
    """The message being ingested, parsed only when a comparison needs it."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw
        self.digest = hashlib.sha256(raw).hexdigest()
        self.fingerprint = content_fingerprint(raw)
        self._content: Content | None = None

    @property
    def content(self) -> Content:
        if self._content is None:
            self._content = content_of(self.raw)
        return self._content


def _is_copy(email: InboundEmail, incoming: _Incoming, identity: str) -> bool:
    if email.raw_sha256 == incoming.digest:
        return True  # the very same bytes: no need to read them back
    stored = _stored_raw(email)
    if stored is None:  # the source is gone: sender and subject are what is left
        return email.identity_sha256 in {"", identity} and subject_key(
            email.subject
        ) == subject_key(incoming.content.subject)
    if content_fingerprint(stored) == incoming.fingerprint:
        return True  # only trace headers differ (another route)
    return is_same_message(content_of(stored), incoming.content)


def stored_copy_of(
    *, raw: bytes, key: str, message_id: str, identity: str
) -> tuple[InboundEmail | None, str]:
    """(the stored copy of ``raw``, None when there is none; the key to store
    ``raw`` under when it is another message). ``key`` is the taken key."""
    claimed = InboundEmail.objects.filter(dedupe_key=key).first()
    if not message_id:  # keyed by content: the same key is the same content
        return claimed, key
    candidates = list(
        InboundEmail.objects.filter(message_id=message_id[:255])
        .exclude(dedupe_key=key)
        .order_by("id")[:MAX_COMPARED]
    )
    if claimed is not None:
        candidates.insert(0, claimed)
    incoming = _Incoming(raw)
    for candidate in candidates:
        if _is_copy(candidate, incoming, identity):
            return candidate, key
    new_key = reused_key_of(message_id, identity, incoming.fingerprint)
    if new_key == key:  # the content's own key is taken by another message
        new_key = f"raw-sha256:{incoming.digest}"
    return None, new_key
