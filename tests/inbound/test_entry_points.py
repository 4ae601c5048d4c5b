"""The three email entry points with real peers: smtplib against our SMTP endpoint,
dovecot polled over IMAP, and the signed HTTP endpoint taking raw MIME."""

from __future__ import annotations

import imaplib
import smtplib
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.inbound.imap import mailbox_poll, mailboxes_poll_due
from amiable.inbound.models import (
    ImapSecurity,
    InboundEmail,
    InboundSource,
    InboundStatus,
    WebhookKind,
)
from amiable.inbound.signing import signed_headers
from amiable.inbound.smtp import IngestHandler, SmtpServer
from tests.factories.inbound import MailboxFactory, WebhookSourceFactory
from tests.peers.dovecot import ImapServer, free_port

EMAIL_HOOK = "/api/v1/inbound/hooks/{slug}/email"


@pytest.fixture
def smtp_endpoint(transactional_db: None) -> Iterator[SmtpServer]:
    server = SmtpServer(
        host="127.0.0.1", port=0, handler=IngestHandler(domains={"amiable.localhost"})
    ).start()
    yield server
    server.stop()


def test_an_mta_delivers_over_smtp_and_the_case_exists_when_it_is_told_250(
    smtp_endpoint: SmtpServer, make_email: Callable[..., bytes]
) -> None:
    raw = make_email(message_id="<smtp-1@exemple.fr>")

    with smtplib.SMTP(smtp_endpoint.host, smtp_endpoint.port, timeout=10) as client:
        refused = client.sendmail(
            "elodie.martin@exemple.fr", ["support@amiable.localhost"], raw
        )
        again = client.sendmail(
            "elodie.martin@exemple.fr", ["support@amiable.localhost"], raw
        )

    assert refused == {}
    assert again == {}
    stored = InboundEmail.objects.get()
    assert stored.source == InboundSource.SMTP
    assert stored.status == InboundStatus.OPENED
    assert Interaction.objects.filter(direction=Direction.INBOUND).count() == 1
    assert Case.objects.count() == 1


def test_the_smtp_endpoint_never_relays(smtp_endpoint: SmtpServer) -> None:
    with (
        smtplib.SMTP(smtp_endpoint.host, smtp_endpoint.port, timeout=10) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
    ):
        client.sendmail("spam@exemple.org", ["victim@elsewhere.example"], b"x")

    code, _message = refused.value.recipients["victim@elsewhere.example"]
    assert code == 550
    assert InboundEmail.objects.count() == 0


def _append(server: ImapServer, messages: list[bytes]) -> None:
    client = imaplib.IMAP4(server.host, server.port)
    try:
        client.login(server.username, server.password)
        for raw in messages:
            answer = client.append(
                "INBOX", "", imaplib.Time2Internaldate(time.time()), raw
            )
            assert answer[0] == "OK"
    finally:
        client.logout()


def _seen_count(server: ImapServer) -> int:
    client = imaplib.IMAP4(server.host, server.port)
    try:
        client.login(server.username, server.password)
        client.select("INBOX")
        _status, data = client.search(None, "SEEN")
        return len(data[0].split())
    finally:
        client.logout()


@pytest.mark.django_db
def test_imap_polling_ingests_new_messages_once_and_flags_them_seen(
    imap_server: ImapServer, make_email: Callable[..., bytes]
) -> None:
    mailbox = MailboxFactory.create(
        address="support@amiable.localhost",
        imap_host=imap_server.host,
        imap_port=imap_server.port,
        imap_security=ImapSecurity.PLAIN,
        imap_username=imap_server.username,
        imap_password=imap_server.password,
    )
    _append(
        imap_server,
        [
            make_email(message_id="<imap-1@exemple.fr>", subject="Première"),
            make_email(
                sender="John Smith <john@example.com>",
                message_id="<imap-2@example.com>",
                subject="Second",
                body="Hello, my order is late.",
            ),
        ],
    )

    first = mailbox_poll(mailbox_id=mailbox.pk)
    _append(imap_server, [make_email(message_id="<imap-1@exemple.fr>")])  # again
    second = mailbox_poll(mailbox_id=mailbox.pk)
    third = mailbox_poll(mailbox_id=mailbox.pk)

    assert (first.fetched, first.ingested, first.error) == (2, 2, "")
    assert (second.fetched, second.duplicates) == (1, 1)
    assert third.fetched == 0
    assert InboundEmail.objects.filter(source=InboundSource.IMAP).count() == 2
    assert sorted(Case.objects.values_list("subject", flat=True)) == [
        "Première",
        "Second",
    ]
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 3
    assert mailbox.last_error == ""
    assert _seen_count(imap_server) == 3


@pytest.mark.django_db(transaction=True)
def test_an_imap_backlog_is_ingested_in_transactions_of_several_messages(
    imap_server: ImapServer,
    make_email: Callable[..., bytes],
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    """Five waiting messages, three per transaction: two chunks, every message
    stored once and flagged seen; the duplicate inside a chunk (the same
    Message-ID twice) is refused by its own savepoint, its neighbours are kept."""
    monkeypatch.setattr("amiable.inbound.imap.TRANSACTION", 3)
    # Tasks are rows, as in production (immediate tasks open transactions of their own).
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    mailbox = MailboxFactory.create(
        address="support@amiable.localhost",
        imap_host=imap_server.host,
        imap_port=imap_server.port,
        imap_security=ImapSecurity.PLAIN,
        imap_username=imap_server.username,
        imap_password=imap_server.password,
    )
    messages = [
        make_email(message_id=f"<backlog-{n}@exemple.fr>", subject=f"Demande {n}")
        for n in range(4)
    ]
    _append(imap_server, [messages[0], messages[1], messages[1], *messages[2:]])

    with CaptureQueriesContext(connection) as captured:
        result = mailbox_poll(mailbox_id=mailbox.pk)

    assert (result.fetched, result.ingested, result.duplicates) == (5, 4, 1)
    assert result.error == ""
    assert InboundEmail.objects.filter(source=InboundSource.IMAP).count() == 4
    assert Interaction.objects.filter(direction=Direction.INBOUND).count() == 4
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 5
    assert _seen_count(imap_server) == 5
    if connection.vendor == "sqlite":  # PostgreSQL's BEGIN is not a statement here
        begins = [q for q in captured.captured_queries if q["sql"].startswith("BEGIN")]
        assert len(begins) == 2, _listing(captured)


def _listing(captured: CaptureQueriesContext) -> str:
    return "\n".join(query["sql"][:120] for query in captured.captured_queries)


@pytest.mark.django_db
def test_a_wrong_imap_password_is_written_on_the_mailbox(
    imap_server: ImapServer,
) -> None:
    mailbox = MailboxFactory.create(
        imap_host=imap_server.host,
        imap_port=imap_server.port,
        imap_security=ImapSecurity.PLAIN,
        imap_username=imap_server.username,
        imap_password="wrong",
    )

    result = mailbox_poll(mailbox_id=mailbox.pk)

    assert result.fetched == 0
    assert result.error.startswith("MailboxLoginError")
    mailbox.refresh_from_db()
    assert mailbox.last_error == result.error


def _post_email(
    client: Client, slug: str, secret: str, raw: bytes, nonce: str
) -> object:
    return client.post(
        EMAIL_HOOK.format(slug=slug),
        data=raw,
        content_type="message/rfc822",
        headers=signed_headers(secret=secret, body=raw, nonce=nonce),
    )


@pytest.mark.django_db
def test_the_http_endpoint_takes_signed_raw_mime_once(
    make_email: Callable[..., bytes],
) -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.EMAIL)
    raw = make_email(message_id="<http-1@exemple.fr>")
    client = Client()

    created = _post_email(client, source.slug, source.secret, raw, "n-1")
    duplicate = _post_email(client, source.slug, source.secret, raw, "n-2")
    replayed = _post_email(client, source.slug, source.secret, raw, "n-2")

    assert created.status_code == 201  # type: ignore[attr-defined]
    assert created.json()["status"] == "opened"  # type: ignore[attr-defined]
    assert duplicate.status_code == 200  # type: ignore[attr-defined]
    assert duplicate.json()["is_duplicate"] is True  # type: ignore[attr-defined]
    assert replayed.status_code == 409  # type: ignore[attr-defined]
    assert replayed.json()["code"] == "webhook_replayed"  # type: ignore[attr-defined]
    assert InboundEmail.objects.get().source == InboundSource.HTTP


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tamper", "status", "code"),
    [
        ("signature", 401, "webhook_signature_invalid"),
        ("stale", 401, "webhook_signature_invalid"),
        ("unsigned", 401, "webhook_signature_invalid"),
        ("unknown_source", 404, "not_found"),
        ("wrong_kind", 404, "not_found"),
    ],
)
def test_the_http_endpoint_refuses_what_is_not_signed_right(
    make_email: Callable[..., bytes], tamper: str, status: int, code: str
) -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.EMAIL)
    sms_source = WebhookSourceFactory.create(kind=WebhookKind.SMS)
    raw = make_email()
    headers = signed_headers(secret=source.secret, body=raw, nonce=uuid.uuid4().hex)
    slug = source.slug
    if tamper == "signature":
        headers["X-Amiable-Signature"] = "sha256=" + "0" * 64
    elif tamper == "stale":
        stale = str(int(time.time()) - 3600)
        from amiable.inbound.signing import signature_compute

        headers["X-Amiable-Timestamp"] = stale
        headers["X-Amiable-Signature"] = signature_compute(
            secret=source.secret,
            timestamp=stale,
            nonce=headers["X-Amiable-Nonce"],
            body=raw,
        )
    elif tamper == "unsigned":
        headers = {}
    elif tamper == "unknown_source":
        slug = "nobody"
    elif tamper == "wrong_kind":
        slug = sms_source.slug

    response = Client().post(
        EMAIL_HOOK.format(slug=slug),
        data=raw,
        content_type="message/rfc822",
        headers=headers,
    )

    assert response.status_code == status
    assert response.json()["code"] == code
    assert InboundEmail.objects.count() == 0


@pytest.mark.django_db
def test_each_due_mailbox_gets_its_own_poll_once(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    closed_port = free_port()
    due = MailboxFactory.create(
        imap_host="127.0.0.1",
        imap_port=closed_port,
        imap_security=ImapSecurity.PLAIN,
        imap_username="support",
    )
    MailboxFactory.create(imap_host="")  # no IMAP: never polled
    MailboxFactory.create(imap_host="127.0.0.1", imap_port=closed_port, is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        first = mailboxes_poll_due()
        second = mailboxes_poll_due()  # not due again before its interval

    assert (first, second) == (1, 0)
    due.refresh_from_db()
    assert due.last_polled_at is not None
    assert due.last_error.startswith("ConnectionRefusedError")
