"""Inbound credentials encrypted at rest: IMAP polling of the real dovecot with the
stored password, a password no key opens written on its mailbox while the others
are polled, a webhook whose secret no key opens refused with 503, and the admin's
write-only fields."""

from __future__ import annotations

import imaplib
import time
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import User
from amiable.inbound.imap import mailbox_poll, mailboxes_poll_due
from amiable.inbound.models import ImapSecurity, InboundEmail, Mailbox, WebhookKind
from amiable.inbound.signing import signed_headers
from tests.factories.inbound import MailboxFactory, WebhookSourceFactory
from tests.peers.dovecot import ImapServer

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def _raw_password(mailbox: Mailbox) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT imap_password FROM inbound_mailbox WHERE id = %s", [mailbox.pk]
        )
        return str(cursor.fetchone()[0])


def _append(server: ImapServer, raw: bytes) -> None:
    client = imaplib.IMAP4(server.host, server.port)
    try:
        client.login(server.username, server.password)
        client.append("INBOX", "", imaplib.Time2Internaldate(time.time()), raw)
    finally:
        client.logout()


def _mailbox(server: ImapServer, address: str) -> Mailbox:
    return MailboxFactory.create(
        address=address,
        imap_host=server.host,
        imap_port=server.port,
        imap_security=ImapSecurity.PLAIN,
        imap_username=server.username,
        imap_password=server.password,
    )


@pytest.mark.django_db
def test_imap_polling_logs_in_with_the_encrypted_password(
    imap_server: ImapServer, make_email: Callable[..., bytes]
) -> None:
    mailbox = _mailbox(imap_server, "support@amiable.localhost")
    _append(imap_server, make_email(message_id="<sealed-1@exemple.fr>"))

    result = mailbox_poll(mailbox_id=mailbox.pk)

    assert imap_server.password not in _raw_password(mailbox)
    assert (result.fetched, result.ingested, result.error) == (1, 1, "")


@pytest.mark.django_db
def test_a_password_no_key_opens_is_written_on_its_mailbox_and_polling_goes_on(
    imap_server: ImapServer,
    make_email: Callable[..., bytes],
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.AMIABLE_SECRETS_KEYS = [OLD]
    lost = _mailbox(imap_server, "ventes@amiable.localhost")
    settings.AMIABLE_SECRETS_KEYS = [NEW]  # the old key was not kept
    working = _mailbox(imap_server, "support@amiable.localhost")
    _append(imap_server, make_email(message_id="<after-1@exemple.fr>"))

    with django_capture_on_commit_callbacks(execute=True):
        enqueued = mailboxes_poll_due()

    lost.refresh_from_db()
    working.refresh_from_db()
    assert enqueued == 2
    assert lost.last_error == (
        "Le mot de passe IMAP de ventes@amiable.localhost ne peut pas être déchiffré "
        "avec les clés configurées (AMIABLE_SECRETS_KEY) : rétablissez la clé avec "
        "laquelle il a été enregistré, ou saisissez-le à nouveau."
    )
    assert working.last_error == ""
    assert InboundEmail.objects.filter(mailbox=working).count() == 1
    assert not InboundEmail.objects.filter(mailbox=lost).exists()


@pytest.mark.django_db
def test_a_webhook_whose_secret_no_key_opens_is_refused_with_503(
    settings: Any,
) -> None:
    settings.AMIABLE_SECRETS_KEYS = [OLD]
    source = WebhookSourceFactory.create(kind=WebhookKind.SMS, secret="partagé-123")
    settings.AMIABLE_SECRETS_KEYS = [NEW]
    body = b'{"id": "SM-1", "from": "0612345678", "to": "+33700000000", "text": "?"}'

    response = Client().post(
        f"/api/v1/inbound/hooks/{source.slug}/sms",
        data=body,
        content_type="application/json",
        headers=signed_headers(secret="partagé-123", body=body, nonce="n-1"),
    )

    assert response.status_code == 503
    assert response.json()["code"] == "secret_unreadable"
    assert not InboundEmail.objects.exists()


@pytest.mark.django_db
def test_the_admin_never_shows_the_password_and_blank_keeps_it(
    admin_user: User,
) -> None:
    mailbox = MailboxFactory.create(imap_password="ne-pas-afficher")
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:inbound_mailbox_change", args=[mailbox.pk])
    form = {
        "name": "Support",
        "address": mailbox.address,
        "team": "",
        "is_active": "on",
        "imap_host": "imap.exemple.fr",
        "imap_port": "993",
        "imap_security": "ssl",
        "imap_username": "support",
        "imap_folder": "INBOX",
        "poll_every_seconds": "60",
    }

    page = client.get(url)
    kept = client.post(url, {**form, "imap_password": ""})
    kept_value = Mailbox.objects.get(pk=mailbox.pk).imap_password
    changed = client.post(url, {**form, "imap_password": "nouveau"})

    body = page.content.decode()
    assert page.status_code == 200
    assert "ne-pas-afficher" not in body
    assert 'type="password" name="imap_password"' in body
    assert (kept.status_code, changed.status_code) == (302, 302)
    assert kept_value == "ne-pas-afficher"
    assert Mailbox.objects.get(pk=mailbox.pk).imap_password == "nouveau"


@pytest.mark.django_db
def test_a_new_webhook_source_needs_its_secret_in_the_admin(admin_user: User) -> None:
    client = Client()
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:inbound_webhooksource_add"),
        {"slug": "sms-pro", "name": "SMS pro", "kind": "sms", "secret": ""},
    )

    assert response.status_code == 200  # the form again, with the error
    assert "secret" in response.context["adminform"].form.errors
