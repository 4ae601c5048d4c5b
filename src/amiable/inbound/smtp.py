"""The SMTP receiving endpoint (aiosmtpd) for MTAs that forward support mail to us.

``250`` is answered only once the message is committed (or quarantined), so the
sending MTA keeps it until we have it; a database outage answers ``451`` and the
MTA retries later. Recipients must be at one of our domains: this server receives,
it never relays.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import DatabaseError, close_old_connections

from amiable.inbound.models import InboundSource, InboundStatus, Mailbox
from amiable.inbound.services import email_ingest

logger = logging.getLogger(__name__)


def our_domains() -> set[str]:
    """Domains we receive mail for: the mailboxes' and the sender address's."""
    addresses = [*Mailbox.objects.values_list("address", flat=True)]
    addresses.append(settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].strip("> "))
    return {address.rpartition("@")[2].lower() for address in addresses if address}


class LenientSMTP(SMTP):
    """Real MTAs forward lines longer than RFC 5321's 1,000 octets more often than
    they should: accept them rather than lose the message."""

    line_length_limit = 1_000_000


def _ingest(raw: bytes, recipients: list[str]) -> str:
    close_old_connections()
    try:
        wanted = [address.lower() for address in recipients]
        mailbox = Mailbox.objects.filter(address__in=wanted, is_active=True).first()
        result = email_ingest(raw=raw, source=InboundSource.SMTP, mailbox=mailbox)
    finally:
        close_old_connections()
    if result.status == InboundStatus.QUARANTINED and not result.is_duplicate:
        logger.warning(
            "SMTP message %s quarantined: %s", result.email_id, result.reason
        )
    return f"250 2.0.0 OK: stored as {result.email_id}"


class IngestHandler:
    """aiosmtpd handler: every accepted message goes through ``email_ingest``."""

    def __init__(self, domains: set[str] | None = None) -> None:
        self.domains = domains

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        domains = self.domains
        if domains is None:
            loop = asyncio.get_running_loop()
            domains = await loop.run_in_executor(None, _domains_fresh)
        if address.rpartition("@")[2].lower() not in domains:
            return "550 5.7.1 We do not relay: not one of our addresses"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if not isinstance(raw, bytes):
            return "554 5.6.0 No message content"
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                None, _ingest, raw, list(envelope.rcpt_tos)
            )
        except DatabaseError:
            logger.exception("SMTP message could not be stored")
            return "451 4.3.0 Temporary failure, please try again later"


def _domains_fresh() -> set[str]:
    close_old_connections()
    try:
        return our_domains()
    finally:
        close_old_connections()


@dataclass
class SmtpServer:
    """An SMTP server on its own thread and event loop; ``port`` is the real port
    (bind port 0 for an ephemeral one)."""

    host: str
    port: int
    handler: Any
    data_size_limit: int = 0
    _loop: asyncio.AbstractEventLoop | None = None
    _server: asyncio.base_events.Server | None = None
    _thread: threading.Thread | None = None
    _ready: threading.Event = field(default_factory=threading.Event)
    _error: BaseException | None = None

    def start(self) -> SmtpServer:
        self._thread = threading.Thread(target=self._run, name="smtp", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise self._error
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        limit = self.data_size_limit or settings.AMIABLE_INBOUND_MAX_BYTES
        try:
            server = loop.run_until_complete(
                loop.create_server(
                    lambda: LenientSMTP(
                        self.handler,
                        data_size_limit=limit,
                        enable_SMTPUTF8=True,
                        decode_data=False,
                        hostname="amiable",
                    ),
                    host=self.host,
                    port=self.port,
                )
            )
        except OSError as exc:
            self._error = exc
            self._ready.set()
            return
        self._server = server
        self.port = int(server.sockets[0].getsockname()[1])
        self._ready.set()
        loop.run_forever()
        server.close()
        loop.run_until_complete(server.wait_closed())
        loop.close()

    def stop(self) -> None:
        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)


def smtp_server_start(host: str, port: int) -> SmtpServer:
    """Start the receiving endpoint; raises OSError when the port is taken."""
    return SmtpServer(host=host, port=port, handler=IngestHandler()).start()
