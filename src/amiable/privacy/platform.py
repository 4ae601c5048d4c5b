"""Stores no domain app owns that may hold a person's details: the background task
results and the folder of sent mail (the file e-mail backend's copies)."""

from __future__ import annotations

import email
import email.policy
import os
import tempfile
from email.message import EmailMessage
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from amiable.core.personal_data import (
    DataSubject,
    ErasureOutcome,
    ExportPart,
    PersonalDataSection,
    personal_data_register,
    scrub_mentions,
)

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def platform_personal_export(subject: DataSubject) -> ExportPart:
    """Nothing of its own: task arguments and sent mail are copies of rows that
    their apps export (interactions, cases)."""
    return ExportPart()


def platform_personal_erase(subject: DataSubject) -> ErasureOutcome:
    with transaction.atomic():
        tasks = scrub_mentions(
            DBTaskResult.objects.all(), ("args_kwargs", "return_value"), subject
        )
    return ErasureOutcome(
        changed={"task_results": tasks, "mail_files": mail_folder_erase(subject)}
    )


def mail_folder() -> Path | None:
    path = getattr(settings, "EMAIL_FILE_PATH", "")
    return Path(path) if path else None


def _message_text(chunk: bytes) -> str:
    """The message's headers and text parts, decoded (quoted-printable, base64,
    encoded words): what a person reads, whatever the transfer encoding."""
    message = email.message_from_bytes(chunk, policy=email.policy.default)
    texts = [f"{name}: {value}" for name, value in message.items()]
    if isinstance(message, EmailMessage):
        for part in message.walk():
            if part.get_content_maintype() == "text":
                try:
                    texts.append(str(part.get_content()))
                except (LookupError, ValueError):
                    continue
    return "\n".join(texts)


def _mentions(chunk: bytes, subject: DataSubject) -> bool:
    raw = chunk.decode("utf-8", errors="replace")
    return subject.mentions(raw) or subject.mentions(_message_text(chunk))


def mail_folder_erase(subject: DataSubject) -> int:
    """Remove the person's messages from the sent-mail files: a file keeps the
    messages of others and is deleted when none is left. Returns the files changed.
    Each file is rewritten through a new file renamed over it (never half written)."""
    folder = mail_folder()
    if folder is None or not folder.is_dir():
        return 0
    changed = 0
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        data = path.read_bytes()
        chunks = [chunk for chunk in data.split(SEPARATOR) if chunk.strip()]
        kept = [chunk for chunk in chunks if not _mentions(chunk, subject)]
        if len(kept) == len(chunks):
            continue
        changed += 1
        if not kept:
            path.unlink(missing_ok=True)
            continue
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".erasing-")
        with os.fdopen(fd, "wb") as stream:
            stream.write(b"".join(chunk + SEPARATOR for chunk in kept))
        os.replace(temporary, path)
    return changed


def personal_data_sections_register() -> None:
    personal_data_register(
        PersonalDataSection(
            name="platform",
            export=platform_personal_export,
            erase=platform_personal_erase,
            order=840,
        )
    )
