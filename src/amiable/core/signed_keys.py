"""Signed, expiring links that name a random public key, never a database id.

A token is the key signed with a salt of its own and a timestamp
(``django.core.signing.TimestampSigner``): it cannot be guessed, derived from
another link or altered, and it only ever resolves to its own row. Each kind of
link (a survey, a resolution confirmation) has its own salt, so one kind's token
is refused by the other's page.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from enum import StrEnum

from django.core import signing

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


@dataclass(frozen=True)
class KeySigner:
    salt: str

    def make(self, public_key: str) -> str:
        """The opaque link token of the row whose public key is ``public_key``."""
        return signing.TimestampSigner(salt=self.salt).sign(public_key)

    def check(self, token: str, *, max_age: dt.timedelta) -> TokenCheck:
        """Valid (with its key), expired (a genuine signature too old: its key still
        names the row, e.g. for its language, but nothing may be recorded) or
        invalid."""
        signer = signing.TimestampSigner(salt=self.salt)
        try:
            return TokenCheck(TokenState.VALID, signer.unsign(token, max_age=max_age))
        except signing.SignatureExpired:
            return TokenCheck(TokenState.EXPIRED, signer.unsign(token))
        except signing.BadSignature:
            return TokenCheck(TokenState.INVALID)
