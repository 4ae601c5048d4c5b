"""The issue's check: after erasing a customer, their e-mail, phone (as written in
several ways), name and address are nowhere in the SQLite file (its write-ahead log
included), the media folder or the sent-mail folder; the kept records say why.

Real files: the test database file, ``MEDIA_ROOT`` and ``EMAIL_FILE_PATH`` of the
file e-mail backend. A second person's data is still found by the same search, so
the search itself is proven to see what it looks for."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from amiable.accounts.models import User
from amiable.core.personal_data import TOMBSTONE
from amiable.customers.models import Customer
from amiable.customers.search import customer_search_filter
from amiable.privacy.models import DataRequest, RequestKind, RequestStatus
from amiable.privacy.services import data_request_create
from tests.privacy.scene import (
    EMAIL,
    NAME,
    OTHER_EMAIL,
    OTHER_NAME,
    PHONE_WRITTEN,
    needles,
    person_build,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def folders(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    media, mail = tmp_path / "media", tmp_path / "mail"
    media.mkdir()
    mail.mkdir()
    with override_settings(
        MEDIA_ROOT=media,
        EMAIL_FILE_PATH=str(mail),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        TASKS={
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        },
        AMIABLE_INBOUND_ACKNOWLEDGE=True,
    ):
        yield media, mail


READ = "import sys; sys.stdout.buffer.write(open(sys.argv[1], 'rb').read())"


def _database_files(tmp_path: Path) -> list[Path]:
    """SQLite: the database file and its write-ahead log, as they are on disk.
    PostgreSQL (a server, no file of ours): every row of every table as text."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        name = Path(connection.settings_dict["NAME"])
        return [path for path in (name, Path(f"{name}-wal")) if path.exists()]
    dump = tmp_path / "rows.sqlite3"  # named like the file the check looks for
    with connection.cursor() as cursor, dump.open("wb") as out:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT t::text FROM "{table}" t')  # noqa: S608
            for (row,) in cursor.fetchall():
                out.write(row.encode("utf-8") + b"\n")
    return [dump]


def _decoded_mail(data: bytes) -> bytes:
    """The sent messages as a person reads them (headers' encoded words and
    quoted-printable or base64 bodies decoded)."""
    texts: list[str] = []
    for chunk in data.split(b"\n" + b"-" * 79 + b"\n"):
        if not chunk.strip():
            continue
        message = email.message_from_bytes(chunk, policy=email.policy.default)
        texts += [f"{key}: {value}" for key, value in message.items()]
        assert isinstance(message, EmailMessage)
        for part in message.walk():
            if part.get_content_maintype() == "text":
                texts.append(str(part.get_content()))
    return "\n".join(texts).encode("utf-8")


def _read(path: Path) -> bytes:
    """A file's bytes; the live SQLite files are read by another process: closing a
    descriptor of the database file in this one would drop every POSIX lock this
    process's connections hold on it, and another process closing its last
    connection would then delete the shared-memory index under them (later
    connections fail with « disk I/O error »)."""
    if ".sqlite3" not in path.name or not path.is_relative_to(
        Path(connection.settings_dict["NAME"]).parent
    ):
        return path.read_bytes()
    return subprocess.run(  # noqa: S603 (our own interpreter, a fixed program)
        [sys.executable, "-c", READ, str(path)], capture_output=True, check=True
    ).stdout


def _occurrences(paths: list[Path], forms: list[bytes]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in paths:
        data = _read(path)
        if path.suffix == ".log":
            data += b"\n" + _decoded_mail(data)
        for form in forms:
            if form in data or form.lower() in data.lower():
                found.setdefault(path.name, []).append(form.decode("utf-8", "replace"))
    return found


def _files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_after_erasure_the_person_is_in_no_file(
    folders: tuple[Path, Path], admin_user: User, tmp_path: Path
) -> None:
    media, mail = folders
    person = person_build(
        actor=admin_user, name=NAME, email=EMAIL, phone=PHONE_WRITTEN[1]
    )
    person_build(actor=admin_user, name=OTHER_NAME, email=OTHER_EMAIL)
    every_file = _database_files(tmp_path) + _files(media) + _files(mail)
    before = _occurrences(every_file, needles())
    # The data is really there first: database, raw source, attachment, mail.
    assert any(".sqlite3" in name for name in before), before
    assert any(path.parent.parent.name == "attachments" for path in _files(media))
    assert len(before) >= 4, before

    request = data_request_create(
        actor=admin_user, customer=person.customer, kind=RequestKind.ERASURE
    )

    request.refresh_from_db()
    assert request.status == RequestStatus.DONE, request.error
    every_file = _database_files(tmp_path) + _files(media) + _files(mail)
    assert _occurrences(every_file, needles()) == {}
    # The same search still finds the other person: it sees what it looks for.
    other = [OTHER_NAME.encode(), OTHER_EMAIL.encode()]
    assert set(_occurrences(_database_files(tmp_path), other)) != set()
    assert _occurrences(_files(mail), other) != {}
    # What the law obliges is kept, and says why.
    kept = {record["table"]: record for record in request.kept}
    assert kept["commerce.orders"]["count"] == 1
    assert "L123-22" in kept["commerce.orders"]["reason"]
    customer = Customer.objects.get(pk=person.customer.pk)
    assert customer.name == TOMBSTONE
    assert customer.orders.count() == 1
    # Nor does the full-text search find them by any word of their name or e-mail.
    for word in ("Dupré", "Lefèvre", "Hélène", "helene"):
        assert not customer_search_filter(Customer.objects.all(), word).exists()


def test_erasing_twice_changes_nothing_more(
    folders: tuple[Path, Path], admin_user: User
) -> None:
    person = person_build(
        actor=admin_user, name=NAME, email=EMAIL, phone=PHONE_WRITTEN[2]
    )
    first = data_request_create(
        actor=admin_user, customer=person.customer, kind=RequestKind.ERASURE
    )
    second = data_request_create(
        actor=admin_user, customer=person.customer, kind=RequestKind.ERASURE
    )

    assert second.pk != first.pk
    second.refresh_from_db()
    assert second.status == RequestStatus.DONE
    # Only the portal links are signed out again (a harmless repeat).
    changed = {key: n for key, n in second.changed.items() if n}
    assert changed == {"portal.portal_access": 1}
    assert DataRequest.objects.filter(kind=RequestKind.ERASURE).count() == 2
