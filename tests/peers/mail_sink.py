"""A real SMTP server on loopback that keeps what it receives (aiosmtpd), for tests
of outbound mail: point ``EMAIL_HOST``/``EMAIL_PORT`` at it with the SMTP backend.

Reusable by any test: request the ``smtp_sink`` fixture; ``smtp_sink.messages`` are
the parsed messages (``email.message.EmailMessage``, policy.default) in order."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any

import pytest
from aiosmtpd.smtp import SMTP, Envelope, Session
from pytest_django.fixtures import Settings as SettingsWrapper


@dataclass
class SmtpSink:
    host: str = "127.0.0.1"
    port: int = 0
    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)

    @property
    def messages(self) -> list[EmailMessage]:
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(raw) for _from, _to, raw in self.received]

    def wait_for(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages


class _Collector:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        self.sink.received.append(
            (str(envelope.mail_from), list(envelope.rcpt_tos), raw)
        )
        return "250 OK"


def _serve(sink: SmtpSink, ready: threading.Event, holder: dict[str, Any]) -> None:
    loop = asyncio.new_event_loop()
    holder["loop"] = loop
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(_Collector(sink), decode_data=False, enable_SMTPUTF8=True),
            host=sink.host,
            port=0,
        )
    )
    sink.port = int(server.sockets[0].getsockname()[1])
    ready.set()
    loop.run_forever()
    server.close()
    loop.run_until_complete(server.wait_closed())
    loop.close()


@pytest.fixture
def smtp_sink(settings: SettingsWrapper) -> Iterator[SmtpSink]:
    """A real SMTP server; Django's mail goes to it for the test."""
    sink = SmtpSink()
    ready = threading.Event()
    holder: dict[str, Any] = {}
    thread = threading.Thread(target=_serve, args=(sink, ready, holder), daemon=True)
    thread.start()
    ready.wait(10)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = sink.host
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_TIMEOUT = 10
    yield sink
    loop = holder["loop"]
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
