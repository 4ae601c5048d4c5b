"""``amiable smtp``: run the SMTP receiving endpoint until interrupted."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amiable.inbound.smtp import smtp_server_start


def listen_address(value: str) -> tuple[str, int]:
    """``"127.0.0.1:2525"`` -> ("127.0.0.1", 2525); raises CommandError."""
    host, _colon, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"not a host:port address: {value!r}")
    return host, int(port)


class Command(BaseCommand):
    help = "Receive email over SMTP (for MTAs that forward support mail to us)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--listen",
            default=settings.AMIABLE_SMTP_LISTEN or "127.0.0.1:2525",
            help="host:port (default AMIABLE_SMTP_LISTEN or 127.0.0.1:2525)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = listen_address(options["listen"])
        try:
            server = smtp_server_start(host, port)
        except OSError as exc:
            raise CommandError(f"cannot listen on {host}:{port}: {exc}") from exc
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, on_signal)
        self.stdout.write(f"SMTP endpoint listening on {host}:{server.port}")
        self.stdout.flush()
        stop.wait()
        server.stop()
        self.stdout.write("SMTP endpoint stopped.")
