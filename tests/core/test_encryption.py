"""Secrets at rest (``core.encryption``): the keys, the field, the migration
helpers and rotation; the uses in inbound and gestures are tested there."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from amiable.core.encryption import (
    SecretUnreadableError,
    UnreadableSecret,
    column_decrypt,
    column_encrypt,
    encrypted_fields,
    secret_decrypt,
    secret_encrypt,
    secret_require,
    secrets_rotate,
)
from amiable.core.encryption_keys import key_from_secret_key, keys_parse
from amiable.gestures.models import GestureSettings
from amiable.inbound.models import Mailbox, WebhookSource
from tests.factories.inbound import MailboxFactory

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


def raw_column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE id = %s",  # noqa: S608 - test
            [pk],
        )
        return str(cursor.fetchone()[0])


def test_every_stored_credential_is_an_encrypted_field() -> None:
    assert sorted((model._meta.label, name) for model, name in encrypted_fields()) == [
        ("accounts.TotpDevice", "secret"),  # the two-step verification key
        ("gestures.GestureSettings", "webhook_secret"),
        ("inbound.Mailbox", "imap_password"),
        ("inbound.WebhookSource", "secret"),
    ]


def test_keys_are_checked_and_the_default_is_derived_from_secret_key() -> None:
    assert keys_parse(f" {NEW} , {OLD} ") == [NEW, OLD]
    assert keys_parse("") == []
    assert Fernet(key_from_secret_key("a")) is not None
    assert key_from_secret_key("a") != key_from_secret_key("b")


def test_a_bad_key_is_named_by_position_never_echoed() -> None:
    with pytest.raises(ValueError, match="key 2 is not a Fernet key") as caught:
        keys_parse(f"{NEW},not-a-key-at-all")

    assert "not-a-key-at-all" not in str(caught.value)


def test_with_the_wrong_key_a_secret_is_unreadable_not_an_exception(
    settings: Any,
) -> None:
    settings.AMIABLE_SECRETS_KEYS = [OLD]
    token = secret_encrypt("hunter2")
    settings.AMIABLE_SECRETS_KEYS = [NEW]

    value = secret_decrypt(token)

    assert isinstance(value, UnreadableSecret)
    assert (value, value.token) == ("", token)
    with pytest.raises(SecretUnreadableError, match="AMIABLE_SECRETS_KEY"):
        secret_require(value, what="The IMAP password of x")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "field", "values"),
    [
        (Mailbox, "imap_password", {"name": "S", "address": "s@amiable.localhost"}),
        (WebhookSource, "secret", {"slug": "s", "name": "S", "kind": "sms"}),
        (GestureSettings, "webhook_secret", {}),
    ],
)
def test_the_raw_column_holds_no_plain_text(
    model: Any, field: str, values: dict[str, Any]
) -> None:
    row = model._default_manager.create(**values, **{field: "s3cret-Pa55word"})

    raw = raw_column(model._meta.db_table, field, row.pk)
    reloaded = model._default_manager.get(pk=row.pk)

    assert "s3cret-Pa55word" not in raw
    assert raw.startswith("gAAAAA")  # a Fernet token
    assert getattr(reloaded, field) == "s3cret-Pa55word"


@pytest.mark.django_db
def test_rotation_reads_old_tokens_then_rewrites_them_with_the_new_key(
    settings: Any,
) -> None:
    settings.AMIABLE_SECRETS_KEYS = [OLD]
    mailbox = MailboxFactory.create(imap_password="rotate-me")
    before = raw_column("inbound_mailbox", "imap_password", mailbox.pk)
    settings.AMIABLE_SECRETS_KEYS = [NEW, OLD]
    readable_during = Mailbox.objects.get(pk=mailbox.pk).imap_password

    out = StringIO()
    call_command("secrets_rotate", stdout=out)
    settings.AMIABLE_SECRETS_KEYS = [NEW]

    after = raw_column("inbound_mailbox", "imap_password", mailbox.pk)
    assert readable_during == "rotate-me"
    assert after != before
    assert Fernet(NEW).decrypt(after.encode()) == b"rotate-me"
    assert Mailbox.objects.get(pk=mailbox.pk).imap_password == "rotate-me"
    assert "inbound.Mailbox: 1 re-encrypted" in out.getvalue()


@pytest.mark.django_db
def test_rotation_without_the_old_key_changes_nothing(settings: Any) -> None:
    settings.AMIABLE_SECRETS_KEYS = [OLD]
    mailbox = MailboxFactory.create(imap_password="keep-me")
    before = raw_column("inbound_mailbox", "imap_password", mailbox.pk)
    settings.AMIABLE_SECRETS_KEYS = [NEW]

    with pytest.raises(SecretUnreadableError):
        secrets_rotate()

    assert raw_column("inbound_mailbox", "imap_password", mailbox.pk) == before


@pytest.mark.django_db
def test_saving_a_row_whose_secret_is_unreadable_keeps_the_stored_token(
    settings: Any,
) -> None:
    settings.AMIABLE_SECRETS_KEYS = [OLD]
    mailbox = MailboxFactory.create(imap_password="keep-me")
    before = raw_column("inbound_mailbox", "imap_password", mailbox.pk)
    settings.AMIABLE_SECRETS_KEYS = [NEW]

    loaded = Mailbox.objects.get(pk=mailbox.pk)
    loaded.name = "Renamed"
    loaded.save()

    assert raw_column("inbound_mailbox", "imap_password", mailbox.pk) == before
    settings.AMIABLE_SECRETS_KEYS = [OLD]
    assert Mailbox.objects.get(pk=mailbox.pk).imap_password == "keep-me"


@pytest.mark.django_db
def test_the_data_migration_encrypts_plain_rows_once_and_reverses() -> None:
    mailbox = MailboxFactory.create()
    with connection.cursor() as cursor:  # a row as stored before the migration
        cursor.execute(
            "UPDATE inbound_mailbox SET imap_password = %s WHERE id = %s",
            ["plain-old", mailbox.pk],
        )

    first = column_encrypt(connection, table="inbound_mailbox", column="imap_password")
    again = column_encrypt(connection, table="inbound_mailbox", column="imap_password")
    encrypted = raw_column("inbound_mailbox", "imap_password", mailbox.pk)
    readable = Mailbox.objects.get(pk=mailbox.pk).imap_password
    column_decrypt(connection, table="inbound_mailbox", column="imap_password")

    assert (first, again) == (1, 0)
    assert encrypted.startswith("gAAAAA")
    assert readable == "plain-old"
    assert raw_column("inbound_mailbox", "imap_password", mailbox.pk) == "plain-old"


def test_a_new_key_can_be_printed() -> None:
    out = StringIO()
    call_command("secrets_key", stdout=out)

    assert Fernet(out.getvalue().strip()) is not None
