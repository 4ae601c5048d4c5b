"""HMAC signatures of inbound webhooks, with replay protection.

A provider signs each request with its source's secret::

    X-Amiable-Timestamp: 1767225600            (Unix seconds)
    X-Amiable-Nonce: 6f1c…                     (unique per request, ≤ 128 chars)
    X-Amiable-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<nonce>." + body)>

A request outside the time window (``AMIABLE_WEBHOOK_TOLERANCE_SECONDS``, five
minutes by default) is refused, so a captured request cannot be replayed later; within
the window its nonce is remembered (``WebhookReceipt``), so it cannot be replayed
either. Retries of the same message by the provider carry a new nonce and are made
harmless by the external id of the message (idempotency).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time

from django.conf import settings
from django.utils.translation import gettext as _

from amiable.core.encryption import SecretUnreadableError, secret_require
from amiable.core.errors import NotFoundError
from amiable.inbound.errors import WebhookSignatureError
from amiable.inbound.models import WebhookSource

logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Amiable-Timestamp"
NONCE_HEADER = "X-Amiable-Nonce"
SIGNATURE_HEADER = "X-Amiable-Signature"
MAX_NONCE = 128


def signature_compute(*, secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The ``X-Amiable-Signature`` value of a request."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{nonce}.".encode(), hashlib.sha256)
    mac.update(body)
    return f"sha256={mac.hexdigest()}"


def signed_headers(*, secret: str, body: bytes, nonce: str) -> dict[str, str]:
    """Headers a sender (or a test) puts on a request to sign it now."""
    timestamp = str(int(time.time()))
    return {
        TIMESTAMP_HEADER: timestamp,
        NONCE_HEADER: nonce,
        SIGNATURE_HEADER: signature_compute(
            secret=secret, timestamp=timestamp, nonce=nonce, body=body
        ),
    }


def webhook_source_verify(
    *, slug: str, kind: str, headers: dict[str, str], body: bytes
) -> tuple[WebhookSource, str]:
    """Return the source and the nonce of a correctly signed, fresh request.

    Raises NotFoundError for an unknown or inactive source (or one of another kind)
    and WebhookSignatureError (401) for a missing, stale or wrong signature.
    """
    source = WebhookSource.objects.filter(slug=slug, kind=kind, is_active=True).first()
    if source is None:
        raise NotFoundError(_("No such webhook source."))
    timestamp = headers.get(TIMESTAMP_HEADER, "").strip()
    nonce = headers.get(NONCE_HEADER, "").strip()
    signature = headers.get(SIGNATURE_HEADER, "").strip()
    missing = [
        name
        for name, value in (
            (TIMESTAMP_HEADER, timestamp),
            (NONCE_HEADER, nonce),
            (SIGNATURE_HEADER, signature),
        )
        if not value
    ]
    if missing:
        raise WebhookSignatureError(
            _("The request is not signed."),
            fields={name: [_("Required.")] for name in missing},
        )
    if not timestamp.isdigit():
        raise WebhookSignatureError(
            _("The timestamp is not a number of seconds."),
            fields={TIMESTAMP_HEADER: [_("Unix time in seconds.")]},
        )
    if abs(time.time() - int(timestamp)) > settings.AMIABLE_WEBHOOK_TOLERANCE_SECONDS:
        raise WebhookSignatureError(
            _("The request is too old or from the future: sign it again."),
            fields={TIMESTAMP_HEADER: [_("Outside the allowed time window.")]},
        )
    if len(nonce) > MAX_NONCE:
        raise WebhookSignatureError(
            _("The nonce is too long."),
            fields={NONCE_HEADER: [_("At most 128 characters.")]},
        )
    try:
        secret = secret_require(
            source.secret,
            what=_("The signing secret of webhook source %(slug)s")
            % {"slug": source.slug},
        )
    except SecretUnreadableError as exc:
        logger.error("webhook %s refused: %s", source.slug, exc.message)
        raise
    expected = signature_compute(
        secret=secret, timestamp=timestamp, nonce=nonce, body=body
    )
    if not hmac.compare_digest(expected, signature):
        raise WebhookSignatureError(
            _("The signature does not match."),
            fields={SIGNATURE_HEADER: [_("Wrong signature.")]},
        )
    return source, nonce
