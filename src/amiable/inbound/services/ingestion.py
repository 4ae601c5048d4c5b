"""The one ingestion service of inbound email, whatever brought it (IMAP, SMTP, HTTP).

Each message is claimed in the ledger (``InboundEmail``, unique per Message-ID, or
per content hash when it has none) in the same transaction that stores what it
becomes, so the same message arriving twice — by two paths, or to two workers at
once — is stored once: the second claim waits on the unique index, then finds the
first. A message that cannot be ingested is quarantined with its reason and raw
source, never dropped; only database failures propagate, so the caller can make the
sender try again (SMTP 451, the next IMAP poll, HTTP 503).

A Message-ID does not always name one message: broken clients, scripts and
archives give one id to different messages. When a key is already taken, the
stored copies with that Message-ID are read back and compared by content
(``services/duplicates.py``, ``sameness.py``): the same message (another route's
trace headers, a list's footer or subject tag, a relay's Date) is a duplicate;
anything else is stored under a ``mid-reused:`` key of its own (Message-ID, sender,
content) and its own interaction external id, or quarantined with its reason,
never dropped. A message larger than
``AMIABLE_INBOUND_MAX_BYTES`` (IMAP and imports have no SMTP or HTTP limit before
us) is quarantined unparsed, its source kept.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, transaction

from amiable.core.clock import now
from amiable.core.errors import ApplicationError
from amiable.core.unit_of_work import unit_of_work
from amiable.inbound.mail_headers import (
    content_fingerprint,
    header_message_id,
    header_sender,
)
from amiable.inbound.models import InboundEmail, InboundStatus, Mailbox, raw_path
from amiable.inbound.parsing import EmailUnparseableError
from amiable.inbound.reasons import QuarantineCode
from amiable.inbound.services.duplicates import stored_copy_of
from amiable.inbound.services.processing import Outcome, email_process

logger = logging.getLogger(__name__)
MAX_KEY_ID = 290


@dataclass(frozen=True)
class IngestResult:
    email_id: int
    status: str
    is_duplicate: bool
    case_id: int | None
    interaction_id: int | None
    reason: str


def dedupe_key_of(raw: bytes) -> tuple[str, str]:
    """(ledger key, Message-ID) of ``raw``: the Message-ID, else a content hash."""
    message_id = header_message_id(raw)
    if message_id and len(message_id) <= MAX_KEY_ID:
        return f"mid:{message_id}", message_id
    if message_id:
        digest = hashlib.sha256(message_id.encode()).hexdigest()
        return f"mid-sha256:{digest}", message_id
    return f"sha256:{content_fingerprint(raw)}", ""


def _result(email: InboundEmail, *, is_duplicate: bool) -> IngestResult:
    return IngestResult(
        email_id=email.pk,
        status=email.status,
        is_duplicate=is_duplicate,
        case_id=email.case_id,
        interaction_id=email.interaction_id,
        reason=email.reason,
    )


def _store_raw(raw: bytes, digest: str) -> str:
    """Write the source once per content (written before the transaction: a rolled
    back ingestion leaves a harmless file, a committed one always has its file)."""
    stub = InboundEmail(raw_sha256=digest)
    name = raw_path(stub, "")
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(raw))
    return name


class _AlreadyClaimed(Exception):  # noqa: N818 (control flow, not an error)
    pass


def _set_outcome(email: InboundEmail, outcome: Outcome) -> None:
    email.status = outcome.status
    email.reason = outcome.reason[:2000]
    email.reason_code = ""
    email.sender = outcome.sender[:254]
    email.subject = outcome.subject[:255]
    email.customer = outcome.customer
    email.case = outcome.case
    email.interaction = outcome.interaction


def _apply(email: InboundEmail, outcome: Outcome) -> None:
    """Store what a stored (replayed) message became."""
    _set_outcome(email, outcome)
    email.save(
        update_fields=[
            "status",
            "reason",
            "reason_code",
            "sender",
            "subject",
            "customer",
            "case",
            "interaction",
            "replay_count",
            "replayed_at",
            "updated_at",
        ]
    )


def _claim(email: InboundEmail) -> None:
    """Insert the ledger row, last in the transaction: a message already claimed
    (a duplicate, or another worker that got there first and committed) makes the
    whole transaction roll back, so what this copy became is not kept."""
    try:
        email.save(force_insert=True)
    except IntegrityError as exc:
        raise _AlreadyClaimed from exc


def email_ingest(
    *, raw: bytes, source: str, mailbox: Mailbox | None = None
) -> IngestResult:
    """Ingest one raw email exactly once; returns what it became.

    Never raises for a bad message (it is quarantined with the reason); raises
    DatabaseError when the database cannot take it, so the caller retries later.
    """
    key, message_id = dedupe_key_of(raw)
    return _ingest(
        raw=raw,
        source=source,
        mailbox=mailbox,
        key=key,
        message_id=message_id,
        identity=header_sender(raw),
    )


def _ingest(
    *,
    raw: bytes,
    source: str,
    mailbox: Mailbox | None,
    key: str,
    message_id: str,
    identity: str,
    is_retry: bool = False,
) -> IngestResult:
    """One transaction: process the message, then claim its ledger key; a key
    already taken (the ledger's unique index) rolls it back and names the stored
    message, or, when another sender holds the Message-ID, stores this one under
    its ``mid-reused:`` key. Duplicates are rare; checking the ledger first would
    cost every message a query."""
    digest = hashlib.sha256(raw).hexdigest()
    name = _store_raw(raw, digest)
    email = InboundEmail(
        dedupe_key=key,
        message_id=message_id[:255],
        source=source,
        mailbox=mailbox,
        received_at=now(),
        raw_sha256=digest,
        raw_size=len(raw),
        identity_sha256=identity,
        status=InboundStatus.QUARANTINED,
    )
    email.raw.name = name
    limit = settings.AMIABLE_INBOUND_MAX_BYTES
    try:
        if len(raw) > limit:
            return _quarantine(
                email,
                reason=f"too large: {len(raw)} bytes (the limit is {limit})",
                code=QuarantineCode.TOO_LARGE,
            )
        with unit_of_work(retries_on_conflict=True):
            _set_outcome(email, email_process(email=email, raw=raw, mailbox=mailbox))
            _claim(email)
    except (_AlreadyClaimed, IntegrityError) as exc:
        claimed = InboundEmail.objects.filter(dedupe_key=key).first()
        if claimed is not None:
            copy, new_key = stored_copy_of(
                raw=raw, key=key, message_id=message_id, identity=identity
            )
            if copy is not None or key.startswith("raw-sha256:"):
                return _result(copy or claimed, is_duplicate=True)
            # another message holds the id: this one is stored under its own key
            return _ingest(
                raw=raw,
                source=source,
                mailbox=mailbox,
                key=new_key,
                message_id=message_id,
                identity=identity,
            )
        if not is_retry:
            # A concurrent transaction took a key we had read free (the sender's
            # identity); it is committed now, so a second run finds it.
            return _ingest(
                raw=raw,
                source=source,
                mailbox=mailbox,
                key=key,
                message_id=message_id,
                identity=identity,
                is_retry=True,
            )
        # A constraint refused what the message became (not a retryable
        # outage): keep it for an administrator rather than make the sender
        # retry forever.
        return _quarantine_new(
            email,
            key=key,
            message_id=message_id,
            raw=raw,
            reason=f"refused by the database: {exc}",
            code=QuarantineCode.DATABASE_REFUSED,
        )
    except EmailUnparseableError as exc:
        return _quarantine_new(
            email,
            key=key,
            message_id=message_id,
            raw=raw,
            reason=exc.reason,
            code=exc.code,
        )
    except ApplicationError as exc:
        return _quarantine_new(
            email,
            key=key,
            message_id=message_id,
            raw=raw,
            reason=str(exc.message),
            code=QuarantineCode.REJECTED,
        )
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 (never lose a message to a bug)
        logger.exception("inbound email %s could not be ingested", key)
        return _quarantine_new(
            email,
            key=key,
            message_id=message_id,
            raw=raw,
            reason=f"unexpected error: {type(exc).__name__}: {exc}",
            code=QuarantineCode.UNEXPECTED_ERROR,
        )
    return _result(email, is_duplicate=False)


def _quarantine_new(
    email: InboundEmail,
    *,
    key: str,
    message_id: str,
    raw: bytes,
    reason: str,
    code: str,
) -> IngestResult:
    """Quarantine a message whose processing failed, unless a copy of it is in the
    ledger already (a duplicate of a stored message fails the same way); under a
    key of its own when another message holds its Message-ID."""
    try:
        return _quarantine(email, reason=reason, code=code)
    except _AlreadyClaimed:
        copy, new_key = stored_copy_of(
            raw=raw, key=key, message_id=message_id, identity=email.identity_sha256
        )
        if copy is not None or key.startswith("raw-sha256:"):
            claimed = copy or InboundEmail.objects.get(dedupe_key=key)
            return _result(claimed, is_duplicate=True)
    email.dedupe_key = new_key
    return _quarantine_new(
        email,
        key=new_key,
        message_id=message_id,
        raw=raw,
        reason=reason,
        code=code,
    )


def _quarantine(email: InboundEmail, *, reason: str, code: str) -> IngestResult:
    """Keep the message, its source and why it failed (``code``: a
    ``QuarantineCode``); visible to administrators. Raises _AlreadyClaimed when
    its key is in the ledger already."""
    email.pk = None
    email._state.adding = True
    email.status = InboundStatus.QUARANTINED
    email.reason = reason[:2000]
    email.reason_code = code
    email.customer = email.case = email.interaction = None
    with transaction.atomic():
        _claim(email)
    return _result(email, is_duplicate=False)
