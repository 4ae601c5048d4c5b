"""Signed, expiring survey links (``core.signed_keys`` with the surveys' salt)."""

from __future__ import annotations

import datetime as dt

from amiable.core.signed_keys import (
    KeySigner,
    TokenCheck,
    TokenState,
    public_key_new,
)

SALT = "amiable.feedback.survey-link"
SIGNER = KeySigner(SALT)

__all__ = [
    "SALT",
    "TokenCheck",
    "TokenState",
    "public_key_new",
    "token_check",
    "token_make",
]


def token_make(public_key: str) -> str:
    """The opaque link token of the survey whose public key is ``public_key``."""
    return SIGNER.make(public_key)


def token_check(token: str, *, max_age: dt.timedelta) -> TokenCheck:
    """Verify a token: valid (with its key), expired (with its key) or invalid."""
    return SIGNER.check(token, max_age=max_age)
