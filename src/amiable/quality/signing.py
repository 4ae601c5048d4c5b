"""Signed, expiring links to the resolution confirmation page.

A token is the confirmation's random public key (144 bits) signed with this app's
salt and a timestamp (``django.core.signing.TimestampSigner``). It carries no
database id: links cannot be enumerated, and a token only ever resolves to its own
confirmation, hence its own case. Expiry is checked twice: the signature's age and
the confirmation's ``expires_at``.
"""

from __future__ import annotations

import datetime as dt

from amiable.core.signed_keys import (
    KeySigner,
    TokenCheck,
    TokenState,
    public_key_new,
)

SALT = "amiable.quality.resolution-confirmation"
# The signature alone never outlives this; a confirmation's own expiry is shorter.
MAX_SIGNATURE_AGE = dt.timedelta(days=366)
SIGNER = KeySigner(SALT)

__all__ = [
    "MAX_SIGNATURE_AGE",
    "SALT",
    "TokenCheck",
    "TokenState",
    "public_key_new",
    "token_check",
    "token_make",
]


def token_make(public_key: str) -> str:
    return SIGNER.make(public_key)


def token_check(token: str) -> TokenCheck:
    """Valid (with its key), expired (signature too old, with its key) or invalid."""
    return SIGNER.check(token, max_age=MAX_SIGNATURE_AGE)
