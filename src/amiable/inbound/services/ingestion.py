"""The one ingestion service of inbound email, whatever brought it (IMAP, SMTP, HTTP).

Each message is claimed in the ledger (``InboundEmail``, unique per Message-ID, or
per content hash when it has none) in the same transaction that stores what it
becomes, so the same message arriving twice — by two paths, or to two workers at
once — is stored once: the second claim waits on the unique index, then finds the
first. A message that cannot be ingested is quarantined with its reason and raw
source, never dropped; only database failures propagate, so the caller can make the
sender try again (SMTP 451, the next IMAP poll, HTTP 503).

A Message-ID names one message together with its sender: the same id from the same
From address is the same message, whatever hops, list footers, subject tags or a
relay's Date were added on the way (a duplicate). The same id from another sender
is another message that reuses the id (broken or templated mailers, archives that
rewrite ids do): it is stored as its own, under a ``mid-reused:`` key and its own
interaction external id, never lost as a duplicate. (One sender reusing its own id
for different messages is taken for a duplicate: the Date is no help there, relays
add it to mail that lacks one and resends renew it.) A message larger than
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
from amiable.inbound.models import InboundEmail, InboundStatus, Mailbox, raw_path
from amiable.inbound.parsing import (
    EmailUnparseableError,
    content_fingerprint,
    header_message_id,
    header_sender,
)
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


def reused_key_of(message_id: str, identity: str) -> str:
    """The ledger key of a message that reuses the Message-ID of another."""
    digest = hashlib.sha256(f"{message_id}\n{identity}".encode()).hexdigest()
    return f"mid-reused:{digest}"


def _is_another_message(email: InboundEmail, message_id: str, identity: str) -> bool:
    """``email`` holds the key of a message with the same Message-ID but another
    sender (rows stored before senders were kept count as the same)."""
    return bool(message_id) and email.identity_sha256 not in {"", identity}


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
                email, reason=f"too large: {len(raw)} bytes (the limit is {limit})"
            )
        with unit_of_work(retries_on_conflict=True):
            _set_outcome(email, email_process(email=email, raw=raw, mailbox=mailbox))
            _claim(email)
    except (_AlreadyClaimed, IntegrityError) as exc:
        claimed = InboundEmail.objects.filter(dedupe_key=key).first()
        if claimed is None and not is_retry:
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
        if claimed is None:
            # A constraint refused what the message became (not a retryable
            # outage): keep it for an administrator rather than make the sender
            # retry forever.
            return _quarantine_new(
                email,
                key=key,
                message_id=message_id,
                reason=f"refused by the database: {exc}",
            )
        if key.startswith("mid:") and _is_another_message(
            claimed, message_id, identity
        ):  # another message holds the id: this one is stored under its own key
            return _ingest(
                raw=raw,
                source=source,
                mailbox=mailbox,
                key=reused_key_of(message_id, identity),
                message_id=message_id,
                identity=identity,
            )
        return _result(claimed, is_duplicate=True)
    except (EmailUnparseableError, ApplicationError) as exc:
        reason = getattr(exc, "reason", None) or getattr(exc, "message", str(exc))
        return _quarantine_new(
            email, key=key, message_id=message_id, reason=str(reason)
        )
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 (never lose a message to a bug)
        logger.exception("inbound email %s could not be ingested", key)
        return _quarantine_new(
            email,
            key=key,
            message_id=message_id,
            reason=f"unexpected error: {type(exc).__name__}: {exc}",
        )
    return _result(email, is_duplicate=False)


def _quarantine_new(
    email: InboundEmail, *, key: str, message_id: str, reason: str
) -> IngestResult:
    """Quarantine a message whose processing failed, unless it is in the ledger
    already (a duplicate of a stored message fails the same way); under its
    ``mid-reused:`` key when another sender holds its Message-ID."""
    try:
        return _quarantine(email, reason=reason)
    except _AlreadyClaimed:
        claimed = InboundEmail.objects.get(dedupe_key=key)
        identity = email.identity_sha256
        if not key.startswith("mid:") or not _is_another_message(
            claimed, message_id, identity
        ):
            return _result(claimed, is_duplicate=True)
    reused = reused_key_of(message_id, identity)
    email.dedupe_key = reused
    return _quarantine_new(email, key=reused, message_id=message_id, reason=reason)


def _quarantine(email: InboundEmail, *, reason: str) -> IngestResult:
    """Keep the message, its source and why it failed; visible to administrators.
    Raises _AlreadyClaimed when its key is in the ledger already."""
    email.pk = None
    email._state.adding = True
    email.status = InboundStatus.QUARANTINED
    email.reason = reason[:2000]
    email.customer = email.case = email.interaction = None
    with transaction.atomic():
        _claim(email)
    return _result(email, is_duplicate=False)
