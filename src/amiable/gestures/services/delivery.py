"""Sending applied gestures to the shop or ERP: a signed webhook, retried.

The body is the gesture's export record as JSON. ``X-Amiable-Signature`` is
``sha256=`` + the hex HMAC-SHA256 of the exact body bytes with the shared secret;
``X-Amiable-Delivery`` identifies the delivery, so a receiver that saw it already
can ignore the repeat. Any answer but 2xx (or no answer) is a failure: the task
raises and ``retrying_task`` tries again with backoff.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.core.clock import now
from amiable.core.encryption import SecretUnreadableError, secret_require
from amiable.core.tasks import describe_error
from amiable.gestures.export import gesture_export_record
from amiable.gestures.models import DeliveryStatus, GestureDelivery
from amiable.gestures.selectors.visibility import GESTURE_RELATED
from amiable.gestures.services.settings import gesture_settings_get

SIGNATURE_HEADER = "X-Amiable-Signature"
DELIVERY_HEADER = "X-Amiable-Delivery"
EVENT_HEADER = "X-Amiable-Event"
TIMEOUT_SECONDS = 10
logger = logging.getLogger(__name__)


class GestureDeliveryFailedError(Exception):
    """The receiver did not accept the gesture (this attempt)."""


def webhook_signature(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _attempt_record(
    delivery: GestureDelivery, *, status: int | None, error: str, delivered: bool
) -> None:
    with transaction.atomic():
        GestureDelivery.objects.filter(pk=delivery.pk).update(
            attempts=delivery.attempts + 1,
            response_status=status,
            last_error="" if delivered else error[:500],
            status=DeliveryStatus.DELIVERED if delivered else DeliveryStatus.FAILED,
            delivered_at=now() if delivered else None,
        )


def gesture_deliver(*, gesture_id: int) -> bool:
    """Send one applied gesture to the webhook; True once delivered (a delivered
    gesture is never sent again). Raises GestureDeliveryFailedError on failure.

    Not one transaction: the attempt is counted in its own, so the count and the
    last error survive the failure that makes the task retry.
    """
    delivery = (
        GestureDelivery.objects.select_related(
            *(f"gesture__{name}" for name in GESTURE_RELATED),
            "gesture__order_line__product",
        )
        .filter(gesture_id=gesture_id)
        .first()
    )
    if delivery is None or delivery.status == DeliveryStatus.DELIVERED:
        return delivery is not None
    try:
        secret = secret_require(
            gesture_settings_get().webhook_secret,
            what=_("The signing secret of the shop/ERP webhook"),
        )
    except SecretUnreadableError as exc:
        # Not sent unsigned: failed and retried, the admin sees why.
        logger.error("gesture %s not delivered: %s", gesture_id, exc.message)
        _attempt_record(delivery, status=None, error=exc.message, delivered=False)
        raise GestureDeliveryFailedError(exc.message) from exc
    body = json.dumps(
        {
            "event": "gesture.applied",
            "gesture": gesture_export_record(delivery.gesture),
        },
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 (an admin-set http(s) URL)
        delivery.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Amiable-Webhook/1",
            SIGNATURE_HEADER: webhook_signature(secret, body),
            DELIVERY_HEADER: f"gesture-{gesture_id}",
            EVENT_HEADER: "gesture.applied",
        },
    )
    status: int | None = None
    error = ""
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status, error = int(exc.code), f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        error = describe_error(exc)
    delivered = status is not None and 200 <= status < 300
    _attempt_record(delivery, status=status, error=error, delivered=delivered)
    if not delivered:
        raise GestureDeliveryFailedError(
            f"webhook {delivery.url} refused gesture {gesture_id}: {error}"
        )
    return True
