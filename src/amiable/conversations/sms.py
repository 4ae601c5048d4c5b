"""Sending SMS through a pluggable provider: one interface, a console backend for
development, the provider chosen by ``AMIABLE_SMS_BACKEND`` (an import path)."""

from __future__ import annotations

import logging
import sys
import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)
SMS_MAX_CHARS = 1600  # ten concatenated segments, what providers accept


@dataclass(frozen=True)
class SmsSent:
    provider_id: str


class SmsBackend(Protocol):
    """What a provider adapter implements. ``send`` raises on failure so the
    delivery task retries; it returns the provider's message id."""

    def send(self, *, to: str, body: str, sender: str) -> SmsSent: ...


class ConsoleSmsBackend:
    """Writes each SMS to standard output (development, demo)."""

    def send(self, *, to: str, body: str, sender: str) -> SmsSent:
        provider_id = f"console-{uuid.uuid4().hex[:16]}"
        sys.stdout.write(f"SMS from {sender} to {to} ({provider_id}):\n{body}\n")
        sys.stdout.flush()
        return SmsSent(provider_id=provider_id)


class MemorySmsBackend:
    """Keeps sent messages in ``outbox`` (tests, like Django's locmem mail)."""

    outbox: list[tuple[str, str, str]] = []

    def send(self, *, to: str, body: str, sender: str) -> SmsSent:
        MemorySmsBackend.outbox.append((to, body, sender))
        return SmsSent(provider_id=f"memory-{len(MemorySmsBackend.outbox)}")


def sms_backend() -> SmsBackend:
    """The configured provider adapter (a fresh instance per call)."""
    backend: SmsBackend = import_string(settings.AMIABLE_SMS_BACKEND)()
    return backend
