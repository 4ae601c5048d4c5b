"""Secrets at rest: credentials we must send back out (an IMAP password, a webhook
signing secret) are stored encrypted, never in plain text.

``EncryptedTextField`` stores a Fernet token (AES-128-CBC and HMAC-SHA256, from the
``cryptography`` library) and gives the code the plain text: the model attribute is
an ordinary ``str``. The keys come from ``AMIABLE_SECRETS_KEY`` (several, comma
separated, for rotation: the first encrypts, every one decrypts; settings check
them), else one key derived from ``SECRET_KEY``.

A token no key opens (the key was changed without keeping the old one) is not an
exception at load time, which would break every page and loop that lists the rows:
the attribute is an ``UnreadableSecret`` (an empty string that remembers the token).
Code about to use the secret calls ``secret_require``, which raises
``SecretUnreadableError`` with a clear message; saving the row writes the stored
token back unchanged, so nothing is lost until the right key returns.

``secrets_rotate()`` (``amiable manage secrets_rotate``) re-encrypts every stored
secret with the first key, after which older keys can be removed.
"""

from __future__ import annotations

import functools
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.apps import apps
from django.conf import settings
from django.db import migrations, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

from amiable.core.encryption_keys import key_from_secret_key
from amiable.core.errors import ApplicationError, ErrorCode


class SecretUnreadableError(ApplicationError):
    """A stored secret that none of the configured keys decrypts."""

    code = ErrorCode.SECRET_UNREADABLE
    status = 503  # our configuration, not the caller's request


class UnreadableSecret(str):
    """The value of a secret that no configured key opens: empty, so it is never
    used by mistake, and carrying the stored token, so saving keeps it."""

    token: str

    def __new__(cls, token: str) -> UnreadableSecret:
        value = super().__new__(cls, "")
        value.token = token
        return value


def _configured_keys() -> tuple[str, ...]:
    keys = tuple(getattr(settings, "AMIABLE_SECRETS_KEYS", ()) or ())
    return keys or (key_from_secret_key(settings.SECRET_KEY),)


@functools.lru_cache(maxsize=8)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _fernet() -> MultiFernet:
    return _fernet_for(_configured_keys())


def secret_encrypt(plain: str) -> str:
    """A Fernet token of ``plain`` with the first key ("" stays "")."""
    if not plain:
        return ""
    return _fernet().encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str:
    """The plain text of ``token``; an ``UnreadableSecret`` when no key opens it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return UnreadableSecret(token)


def is_encrypted(value: str) -> bool:
    """Whether ``value`` is a token one of the configured keys opens."""
    return bool(value) and not isinstance(secret_decrypt(value), UnreadableSecret)


def secret_require(value: str, *, what: str) -> str:
    """``value`` itself, ready to use; raises SecretUnreadableError when it could not
    be decrypted (``what`` names it in the message: "the IMAP password of …")."""
    if isinstance(value, UnreadableSecret):
        raise SecretUnreadableError(
            _(
                "%(what)s cannot be decrypted with the configured keys "
                "(AMIABLE_SECRETS_KEY): restore the key it was stored with, or "
                "enter it again."
            )
            % {"what": what}
        )
    return value


def secret_is_set(value: str) -> bool:
    """Whether a secret is stored, readable or not."""
    return bool(value) or isinstance(value, UnreadableSecret)


class SecretFormField(forms.CharField):
    """Write-only: the stored secret is never sent back to the browser; a blank
    field keeps it (see ``EncryptedTextField.save_form_data``)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["required"] = False
        kwargs.setdefault("max_length", 255)
        kwargs["widget"] = forms.PasswordInput(render_value=False)
        kwargs["help_text"] = _("Write-only. Leave blank to keep the stored value.")
        kwargs.pop("empty_value", None)
        super().__init__(**kwargs)


class SecretsModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form (the admin's ``form``) whose secrets are write-only: required
    on a new row when the model requires them, optional after (blank keeps)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, SecretFormField):
                model_field = self._meta.model._meta.get_field(name)
                field.required = self.instance.pk is None and not model_field.blank


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A secret stored as a Fernet token; the attribute is the plain text."""

    _pyi_private_set_type: str
    _pyi_private_get_type: str

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        return value if value is None else secret_decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, UnreadableSecret):
            return value.token  # keep what is stored until the right key returns
        return secret_encrypt(str(value))

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]
        return SecretFormField(label=self.verbose_name)

    def save_form_data(self, instance: models.Model, data: Any) -> None:
        if not data and instance.pk is not None:
            return  # blank keeps the stored secret
        super().save_form_data(instance, data)

    def value_to_string(self, obj: models.Model) -> str:
        return ""  # never into fixtures or dumps


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) that stores an encrypted secret."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


@transaction.atomic
def secrets_rotate() -> dict[str, int]:
    """Re-encrypt every stored secret with the first key; return how many per
    model. Raises SecretUnreadableError, writing nothing, when one cannot be
    decrypted (keep its old key in AMIABLE_SECRETS_KEY while rotating)."""
    counts: dict[str, int] = {}
    for model, name in encrypted_fields():
        rows = list(
            model._default_manager.select_for_update()
            .exclude(**{name: ""})
            .values_list("pk", name)
        )
        for pk, value in rows:
            secret_require(value, what=f"{model._meta.label}.{name} #{pk}")
            # Saving re-encrypts with the first key (get_prep_value).
            model._default_manager.filter(pk=pk).update(**{name: value})
        counts[model._meta.label] = len(rows)
    return counts


def _column_rewrite(
    connection: BaseDatabaseWrapper,
    *,
    table: str,
    column: str,
    rewrite: Any,
    batch: int,
) -> int:
    quote = connection.ops.quote_name
    select = (
        f"SELECT id, {quote(column)} FROM {quote(table)} "  # noqa: S608 - names only
        "WHERE id > %s ORDER BY id LIMIT %s"
    )
    update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s"  # noqa: S608
    changed, last_id = 0, 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(select, [last_id, batch])
            rows = cursor.fetchall()
            if not rows:
                return changed
            for pk, value in rows:
                last_id = pk
                new = rewrite(value or "")
                if new != (value or ""):
                    cursor.execute(update, [new, pk])
                    changed += 1


def column_encrypt(
    connection: BaseDatabaseWrapper, *, table: str, column: str, batch: int = 500
) -> int:
    """Encrypt in place the plain-text values of one column (the forward step of a
    data migration, on raw rows: the model field would try to decrypt them).
    Tokens the keys open already are left alone. Returns how many rows changed."""

    def seal(value: str) -> str:
        return value if not value or is_encrypted(value) else secret_encrypt(value)

    return _column_rewrite(
        connection, table=table, column=column, rewrite=seal, batch=batch
    )


def column_decrypt(
    connection: BaseDatabaseWrapper, *, table: str, column: str, batch: int = 500
) -> int:
    """Back to plain text (the reverse step). Raises SecretUnreadableError when a
    value cannot be decrypted with the configured keys."""

    def unseal(value: str) -> str:
        return secret_require(secret_decrypt(value), what=f"{table}.{column}")

    return _column_rewrite(
        connection, table=table, column=column, rewrite=unseal, batch=batch
    )


def columns_encrypt_operation(
    app_label: str, columns: list[tuple[str, str]]
) -> migrations.RunPython:
    """The data-migration step that encrypts in place the ``(model, column)`` pairs
    of ``app_label`` that became ``EncryptedTextField``; its reverse decrypts them."""

    def tables(apps: Any) -> list[tuple[str, str]]:
        return [
            (apps.get_model(app_label, model)._meta.db_table, column)
            for model, column in columns
        ]

    def encrypt(apps: Any, schema_editor: Any) -> None:
        for table, column in tables(apps):
            column_encrypt(schema_editor.connection, table=table, column=column)

    def decrypt(apps: Any, schema_editor: Any) -> None:
        for table, column in tables(apps):
            column_decrypt(schema_editor.connection, table=table, column=column)

    return migrations.RunPython(encrypt, decrypt, elidable=False)
