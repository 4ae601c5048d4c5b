"""Fixtures of the inbound tests: the .eml corpus, a message builder, settings."""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

EML_DIR = Path(__file__).parent / "eml"


def eml(name: str) -> bytes:
    """The bytes of one fixture of the corpus."""
    return (EML_DIR / name).read_bytes()


def build_email(
    *,
    sender: str = "Élodie Martin <elodie.martin@exemple.fr>",
    to: str = "support@amiable.localhost",
    subject: str = "Ma commande n'est pas arrivée",
    body: str = "Bonjour,\n\nJe n'ai toujours pas reçu ma commande.\n\nMerci",
    message_id: str | None = "",
    in_reply_to: str = "",
    references: str = "",
    headers: dict[str, str] | None = None,
) -> bytes:
    """A well-formed email (tests that need odd bytes use the .eml corpus)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    if message_id is not None:
        message["Message-ID"] = message_id or make_msgid(domain="exemple.fr")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    if references:
        message["References"] = references
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


@pytest.fixture
def make_email() -> Callable[..., bytes]:
    return build_email


@pytest.fixture(autouse=True)
def _immediate_tasks_and_locmem_mail(settings: Settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AMIABLE_SMS_BACKEND = "amiable.conversations.sms.MemorySmsBackend"
