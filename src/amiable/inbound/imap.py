"""Polling IMAP mailboxes (imap-tools): new messages go through the one ingestion
service, ``TRANSACTION`` of them per transaction (each in a savepoint, so one
failing message does not take its neighbours with it: a backlog costs one commit
per chunk), then the mailbox remembers the last UID and the messages are flagged
seen. A message is only passed once it is committed (or quarantined), so a crash
or a database outage mid-poll loses nothing: the next poll starts again after the
last UID stored, and ingestion is idempotent anyway."""

from __future__ import annotations

import datetime as dt
import imaplib
import logging
import ssl
from dataclasses import dataclass
from functools import partial

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import MailboxLoginError
from imap_tools.mailbox import BaseMailBox

from amiable.core.clock import now
from amiable.core.encryption import SecretUnreadableError, secret_require
from amiable.inbound.mail_files import MailFile
from amiable.inbound.models import (
    ImapSecurity,
    InboundSource,
    InboundStatus,
    Mailbox,
)
from amiable.inbound.services import email_import

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 30
BATCH = 200  # messages per poll; the next poll takes the rest
TRANSACTION = 50  # messages per transaction of a backlog (each in a savepoint)


@dataclass(frozen=True)
class PollResult:
    fetched: int
    ingested: int
    duplicates: int
    quarantined: int
    error: str = ""


def _client(mailbox: Mailbox) -> BaseMailBox:
    if mailbox.imap_security == ImapSecurity.SSL:
        return MailBox(
            mailbox.imap_host,
            mailbox.imap_port,
            timeout=TIMEOUT_SECONDS,
            ssl_context=ssl.create_default_context(),
        )
    if mailbox.imap_security == ImapSecurity.STARTTLS:
        return MailBoxStartTls(
            mailbox.imap_host,
            mailbox.imap_port,
            timeout=TIMEOUT_SECONDS,
            ssl_context=ssl.create_default_context(),
        )
    return MailBoxUnencrypted(
        mailbox.imap_host, mailbox.imap_port, timeout=TIMEOUT_SECONDS
    )


def _fetch_raw(box: BaseMailBox, uid: str) -> bytes | None:
    status, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
    if status != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def _save_state(mailbox: Mailbox, **changes: object) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(**changes)


def _ingest_chunk(
    box: BaseMailBox, mailbox: Mailbox, uids: list[int]
) -> tuple[tuple[int, int, int], str]:
    """Fetch ``uids`` and ingest them in one transaction, each message in a
    savepoint of it (``email_import``): a backlog costs one commit per chunk, and a
    message that fails is quarantined without taking the others with it. Then the
    stored messages are flagged seen and the mailbox remembers the last UID.

    A message whose ingestion raised (nothing stored for it) stops the chunk's
    progress before it: the UID stays unseen and is fetched again by the next
    poll, the messages after it being recognised as duplicates then. Answers
    (ingested, duplicates, quarantined) and that message's error.
    """
    files = []
    for uid in uids:
        raw = _fetch_raw(box, str(uid))
        if raw is not None:
            files.append(MailFile(label=str(uid), raw=raw))
    report = email_import(
        messages=files,
        mailbox=mailbox,
        source=InboundSource.IMAP,
        batch_size=max(1, len(files)),
    )
    ingested = duplicates = quarantined = 0
    done = uids[-1]
    error = ""
    for item in report.items:
        if item.result is None:
            done, error = int(item.label) - 1, item.error
            break
        if item.result.is_duplicate:
            duplicates += 1
        elif item.result.status == InboundStatus.QUARANTINED:
            quarantined += 1
        else:
            ingested += 1
        box.flag(item.label, "\\Seen", True)
    if done > mailbox.last_uid:
        _save_state(mailbox, last_uid=done)
        mailbox.last_uid = done
    return (ingested, duplicates, quarantined), error


def mailbox_poll(*, mailbox_id: int) -> PollResult:
    """Fetch and ingest the messages of one mailbox newer than its last UID.

    Connection and login failures are written on the mailbox (``last_error``) and
    returned; a database failure stops the poll where it is and propagates.
    """
    mailbox = Mailbox.objects.select_related("team").get(pk=mailbox_id)
    fetched = ingested = duplicates = quarantined = 0
    try:
        password = secret_require(
            mailbox.imap_password,
            what=_("The IMAP password of %(address)s") % {"address": mailbox.address},
        )
    except SecretUnreadableError as exc:
        # A configuration error, not a crash: written on the mailbox, polled again
        # (and still failing clearly) until the key is restored or the password
        # entered again; the other mailboxes are polled as usual.
        logger.error("IMAP poll of %s skipped: %s", mailbox.address, exc.message)
        _save_state(mailbox, last_error=exc.message[:1000])
        return PollResult(0, 0, 0, 0, error=exc.message)
    try:
        with _client(mailbox).login(
            mailbox.imap_username, password, initial_folder=None
        ) as box:
            box.folder.set(mailbox.imap_folder)
            validity = int(
                box.folder.status(mailbox.imap_folder, ["UIDVALIDITY"])["UIDVALIDITY"]
            )
            last_uid = mailbox.last_uid if mailbox.uid_validity == validity else 0
            if mailbox.uid_validity != validity:
                _save_state(mailbox, uid_validity=validity, last_uid=0)
                mailbox.last_uid = 0
            uids = sorted(
                int(uid) for uid in box.uids(f"UID {last_uid + 1}:*") if uid.isdigit()
            )
            pending = [value for value in uids if value > last_uid][:BATCH]
            for start in range(0, len(pending), TRANSACTION):
                chunk = pending[start : start + TRANSACTION]
                counts, error = _ingest_chunk(box, mailbox, chunk)
                fetched += len(chunk)
                ingested += counts[0]
                duplicates += counts[1]
                quarantined += counts[2]
                if error:
                    _save_state(mailbox, last_error=error[:1000])
                    return PollResult(
                        fetched, ingested, duplicates, quarantined, error=error
                    )
    except DatabaseError:
        raise
    except (MailboxLoginError, imaplib.IMAP4.error, OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
        logger.warning("IMAP poll of %s failed: %s", mailbox.address, error)
        _save_state(mailbox, last_error=error)
        return PollResult(fetched, ingested, duplicates, quarantined, error=error)
    _save_state(mailbox, last_error="")
    return PollResult(fetched, ingested, duplicates, quarantined)


def _enqueue_poll(mailbox_id: int) -> None:
    from amiable.inbound.tasks import mailbox_poll_task

    mailbox_poll_task.enqueue(mailbox_id=mailbox_id)


def mailboxes_poll_due() -> int:
    """Enqueue a poll of every active IMAP mailbox whose interval has passed, once
    per deployment (a compare-and-set on ``last_polled_at``); returns how many."""
    stamp = now()
    enqueued = 0
    due = Mailbox.objects.filter(is_active=True).exclude(imap_host="")
    for mailbox in due:
        previous = mailbox.last_polled_at
        if (
            previous is not None
            and previous + dt.timedelta(seconds=mailbox.poll_every_seconds) > stamp
        ):
            continue
        claimed = (
            Mailbox.objects.filter(pk=mailbox.pk)
            .filter(Q(last_polled_at=previous) if previous else Q(last_polled_at=None))
            .update(last_polled_at=stamp)
        )
        if claimed:
            transaction.on_commit(partial(_enqueue_poll, mailbox.pk))
            enqueued += 1
    return enqueued
