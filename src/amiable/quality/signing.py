"""Signed, expiring links to the resolution confirmation page.

A token is the confirmation's random public key (144 bits) signed with this app's
salt and a timestamp (``django.core.signing.TimestampSigner``). It carries no
database id: links cannot be enumerated, and a token only ever resolves to its own
confirmation, hence its own case. Expiry is checked twice: the signature's age and
the confirmation's ``expires_at``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.core import signing

SALT = "amiable.quality.resolution-confirmation"
PUBLIC_KEY_BYTES = 18
# The signature alone never outlives this; a confirmation's own expiry is shorter.
MAX_SIGNATURE_AGE = dt.timedelta(days=366)


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
    return _signer().sign(public_key)


def token_check(token: str) -> TokenCheck:
    """Valid (with its key), expired (signature too old, with its key) or invalid."""
    signer = _signer()
    try:
        return TokenCheck(
            TokenState.VALID, signer.unsign(token, max_age=MAX_SIGNATURE_AGE)
        )
    except signing.SignatureExpired:
        return TokenCheck(TokenState.EXPIRED, signer.unsign(token))
    except signing.BadSignature:
        return TokenCheck(TokenState.INVALID)
