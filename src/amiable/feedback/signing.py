"""Signed, expiring survey links.

A token is the survey's random public key signed with a salt and a timestamp
(``django.core.signing.TimestampSigner``). It names no database id, cannot be guessed
or derived from another survey's token, and only ever resolves to its own survey.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.core import signing

SALT = "amiable.feedback.survey-link"
PUBLIC_KEY_BYTES = 18  # 24 URL-safe characters, 144 random bits


class TokenState(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class TokenCheck:
    state: TokenState
    public_key: str = ""


def public_key_new() -> str:
    return secrets.token_urlsafe(PUBLIC_KEY_BYTES)


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def token_make(public_key: str) -> str:
    """The opaque link token of the survey whose public key is ``public_key``."""
    return _signer().sign(public_key)


def token_check(token: str, *, max_age: dt.timedelta) -> TokenCheck:
    """Verify a token: valid (with its key), expired (with its key) or invalid."""
    signer = _signer()
    try:
        return TokenCheck(TokenState.VALID, signer.unsign(token, max_age=max_age))
    except signing.SignatureExpired:
        # The signature is genuine, so the key can still name the survey (its
        # language for the "expired" page), but nothing will be recorded.
        return TokenCheck(TokenState.EXPIRED, signer.unsign(token))
    except signing.BadSignature:
        return TokenCheck(TokenState.INVALID)
