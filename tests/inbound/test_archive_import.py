"""E-mail archives (mbox or ``.eml``) imported as background jobs through the API:
checked first, stored as an import job, ingested in bounded batches, each message
once (a job run again, as after a crash, ingests nothing twice), progress through
``GET /api/v1/inbound/imports/{id}`` and the import page; administrators only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amiable.accounts.models import User
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.services.archive_import import (
    EMAIL_ARCHIVE_IMPORT,
    archive_messages,
)
from amiable.jobs.models import ImportJob, ImportState
from amiable.jobs.services import import_job_run
from tests.inbound.conftest import eml

pytestmark = pytest.mark.django_db
MESSAGES = ["html-only.eml", "auto-reply-subject-en.eml", "utf8-english.eml"]


def _mbox(names: list[str]) -> bytes:
    chunks = []
    for name in names:
        raw = eml(name).replace(b"\r\n", b"\n").rstrip(b"\n")
        chunks.append(b"From MAILER-DAEMON Tue Dec  1 09:30:00 2026\n" + raw + b"\n")
    return b"\n".join(chunks)


def _upload(client: Client, content: bytes, name: str = "archive.mbox") -> Any:
    return client.post(
        "/api/v1/inbound/imports",
        {"file": SimpleUploadedFile(name, content, content_type="application/mbox")},
    )


def _client(user: User, token_for: Callable[[User], str]) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_for(user)}"})


def test_an_mbox_is_imported_in_the_background_each_message_once(
    admin_user: User, token_for: Callable[[User], str]
) -> None:
    client = _client(admin_user, token_for)
    # The last message twice: the archive of a mailbox that kept a copy.
    content = _mbox([*MESSAGES, MESSAGES[-1]])

    response = _upload(client, content)
    job_id = response.json()["id"]
    finished = import_job_run(job_id=job_id)
    progress = client.get(f"/api/v1/inbound/imports/{job_id}").json()

    assert response.status_code == 202
    assert (finished.state, finished.rows_total, finished.rows_done) == (
        ImportState.SUCCEEDED,
        4,
        4,
    )
    assert InboundEmail.objects.count() == 3
    assert finished.counts[InboundStatus.AUTO_REPLY] == 1
    assert finished.counts["duplicate"] == 1
    assert sum(finished.counts.values()) == 4
    assert (progress["rows_done"], progress["rows_total"]) == (4, 4)
    assert progress["kind"] == EMAIL_ARCHIVE_IMPORT


def test_a_job_run_again_after_a_crash_ingests_nothing_twice(
    admin_user: User, token_for: Callable[[User], str]
) -> None:
    client = _client(admin_user, token_for)
    job_id = _upload(client, _mbox(MESSAGES)).json()["id"]
    import_job_run(job_id=job_id)
    # As if the worker died after its batch committed but before it said so.
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportState.RUNNING, rows_done=0, finished_at=None
    )

    again = import_job_run(job_id=job_id)

    assert InboundEmail.objects.count() == 3
    assert again.state == ImportState.SUCCEEDED
    assert again.counts["duplicate"] == 3


def test_one_eml_is_an_archive_of_one_message(
    admin_user: User, token_for: Callable[[User], str]
) -> None:
    rows = archive_messages(eml("utf8-english.eml"))

    assert [row.line for row in rows] == [1]
    assert rows[0].item == eml("utf8-english.eml")


@pytest.mark.parametrize("content", [b"", b"  \n"])
def test_an_empty_archive_is_refused_and_nothing_is_stored(
    admin_user: User, token_for: Callable[[User], str], content: bytes
) -> None:
    response = _upload(_client(admin_user, token_for), content)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize("role", ["agent", "supervisor", "quality_manager"])
def test_only_administrators_import_archives(
    request: pytest.FixtureRequest, token_for: Callable[[User], str], role: str
) -> None:
    user: User = request.getfixturevalue(role)

    response = _upload(_client(user, token_for), _mbox(MESSAGES))

    assert response.status_code == 403
    assert (ImportJob.objects.count(), InboundEmail.objects.count()) == (0, 0)


def test_anonymous_callers_are_refused() -> None:
    response = _upload(Client(), _mbox(MESSAGES))

    assert response.status_code == 401
    assert ImportJob.objects.count() == 0
