"""Signatures of carrier webhooks: HMAC-SHA256 over the timestamp and the raw body.

A carrier sends ``X-Amiable-Timestamp: <unix seconds>`` and
``X-Amiable-Signature: sha256=<hex of HMAC(secret, "<timestamp>." + body)>``. A
signature older than ``TOLERANCE`` is refused, so a captured request cannot be
replayed later (and a replay within it records nothing: events are idempotent)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext as _

from amiable.commerce.errors import TrackingSignatureError, TrackingWebhookDisabledError
from amiable.core.clock import now

TIMESTAMP_HEADER = "X-Amiable-Timestamp"
SIGNATURE_HEADER = "X-Amiable-Signature"
TOLERANCE = dt.timedelta(minutes=5)
PREFIX = "sha256="


def signature_make(*, secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Amiable-Signature`` value of a request (carriers and tests)."""
    digest = hmac.new(
        secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return PREFIX + digest


def signature_verify(*, timestamp: str, signature: str, body: bytes) -> None:
    """Raise unless the request is signed with the configured secret, recently.

    Raises TrackingWebhookDisabledError (no secret configured) and
    TrackingSignatureError (missing, stale or wrong signature)."""
    secret: str = settings.TRACKING_WEBHOOK_SECRET
    if not secret:
        raise TrackingWebhookDisabledError(
            _("Carrier webhooks are not configured on this server.")
        )
    try:
        sent_at = dt.datetime.fromtimestamp(int(timestamp), tz=dt.UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise TrackingSignatureError(
            _("The webhook timestamp is missing or not a number."),
            fields={TIMESTAMP_HEADER: [_("Unix time in seconds.")]},
        ) from exc
    if abs(now() - sent_at) > TOLERANCE:
        raise TrackingSignatureError(
            _("The webhook signature is too old or from the future."),
            fields={TIMESTAMP_HEADER: [_("Within 5 minutes of now.")]},
        )
    expected = signature_make(secret=secret, timestamp=timestamp, body=body)
    if not hmac.compare_digest(expected, signature.strip()):
        raise TrackingSignatureError(
            _("The webhook signature does not match."),
            fields={SIGNATURE_HEADER: [_("HMAC-SHA256 of the timestamp and body.")]},
        )
