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


def _stored_content(email: InboundEmail) -> Content | None:
    try:
        with email.raw.open("rb") as handle:
            return content_of(handle.read())
    except (OSError, ValueError):
        logger.warning("raw source of inbound email %s unreadable", email.pk)
        return None


def _is_copy(email: InboundEmail, content: Content, identity: str) -> bool:
    stored = _stored_content(email)
    if stored is not None:
        return is_same_message(stored, content)
    # The source is gone: the sender and the subject are all that is left.
    return email.identity_sha256 in {"", identity} and subject_key(
        email.subject
    ) == subject_key(content.subject)


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
    content = content_of(raw)
    for candidate in candidates:
        if _is_copy(candidate, content, identity):
            return candidate, key
    new_key = reused_key_of(message_id, identity, content.fingerprint)
    if new_key == key:  # the content's own key is taken by another message
        new_key = f"raw-sha256:{hashlib.sha256(raw).hexdigest()}"
    return None, new_key
