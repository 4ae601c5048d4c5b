"""The keys of secrets at rest (``core.encryption``), read by the settings: no
Django import here, the settings load it before Django is set up."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DERIVATION_INFO = b"amiable.secrets-at-rest"


def key_from_secret_key(secret_key: str) -> str:
    """The Fernet key used when ``AMIABLE_SECRETS_KEY`` is not set (HKDF-SHA256 of
    ``SECRET_KEY``): changing SECRET_KEY then makes the stored secrets unreadable."""
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=DERIVATION_INFO
    ).derive(secret_key.encode())
    return base64.urlsafe_b64encode(derived).decode()


def keys_parse(value: str) -> list[str]:
    """The keys of ``AMIABLE_SECRETS_KEY`` (comma separated, first one encrypts).
    Raises ValueError naming the bad one (by position, never by value)."""
    keys = [part.strip() for part in value.split(",") if part.strip()]
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            raise ValueError(
                f"key {position} is not a Fernet key (32 url-safe base64-encoded "
                "bytes; make one with `amiable manage secrets_key`)"
            ) from None
    return keys
