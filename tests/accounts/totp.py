"""RFC 6238 codes computed by hand (HMAC-SHA1, 30-second steps, 6 digits), so the
tests do not trust the library the code under test uses."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import struct


def totp_code(secret: str, at: dt.datetime) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    step = int(at.timestamp()) // 30
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def test_the_rfc_6238_vector() -> None:
    # RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits) -> 287082.
    secret = base64.b32encode(b"12345678901234567890").decode()

    assert totp_code(secret, dt.datetime.fromtimestamp(59, tz=dt.UTC)) == "287082"
