"""``Idempotency-Key`` on every POST: the first response is stored and replayed.

The record is inserted with the response at the end of the work, in the same
transaction: a concurrent request with the same key waits for the write lock
(SQLite) and then finds the committed record, or (PostgreSQL) fails on the unique
index when it inserts its own, rolls its work back and replays the committed one —
the work is kept once. When the work fails (any non-2xx answer) the transaction is
rolled back, so the client may retry with the same key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.api.auth import request_user
from amiable.api.error_responses import error_response
from amiable.api.models import IdempotencyRecord
from amiable.core.clock import now
from amiable.core.errors import ErrorCode

HEADER = "Idempotency-Key"
# Expired records are purged by the first idempotent POST of each hour (per cache:
# per process with the local-memory cache, per deployment with Redis) and by the
# ``purge_idempotency_keys`` command.
PURGE_CACHE_KEY = "amiable:idempotency:purged"
PURGE_INTERVAL_SECONDS = 3600
REPLAYED_HEADER = "Idempotent-Replayed"
_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")

RunCallable = Callable[..., HttpResponseBase]


class _Discard(Exception):
    """Carries a non-2xx response out of the transaction so it rolls back."""

    def __init__(self, response: HttpResponseBase) -> None:
        super().__init__("discard")
        self.response = response


def request_fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _expiry_cutoff() -> dt.datetime:
    return now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS)


def _replay(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.request_hash != fingerprint:
        return error_response(
            status=409,
            code=ErrorCode.IDEMPOTENCY_MISMATCH,
            message=_(
                "This Idempotency-Key was already used with another request. "
                "Use a new key for a new request."
            ),
            fields={HEADER: [_("Already used with a different body or path.")]},
        )
    response = HttpResponse(
        record.response_body,
        status=record.response_status,
        content_type="application/json",
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _find(user: User, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(
        user=user, key=key, created_at__gte=_expiry_cutoff()
    ).first()


def idempotency_run(
    *, request: HttpRequest, user: User, key: str, run: Callable[[], HttpResponseBase]
) -> HttpResponseBase:
    """Run ``run`` once per (user, key); replay or refuse the repeats."""
    fingerprint = request_fingerprint(request)
    stored = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if stored is not None and stored.created_at >= _expiry_cutoff():
        return _replay(stored, fingerprint)
    try:
        with transaction.atomic():
            if stored is not None:  # expired: the key is free again
                stored.delete()
            response = run()
            if not 200 <= response.status_code < 300 or not isinstance(
                response, HttpResponse
            ):
                raise _Discard(response)
            IdempotencyRecord.objects.create(
                user=user,
                key=key,
                method=request.method or "POST",
                path=request.path[:1000],
                request_hash=fingerprint,
                response_status=response.status_code,
                response_body=response.content.decode("utf-8"),
                created_at=now(),
            )
    except _Discard as discarded:
        return discarded.response
    except IntegrityError:
        # Another request with this key committed while we worked: replay it.
        existing = _find(user, key)
        if existing is None:
            return error_response(
                status=409,
                code=ErrorCode.IDEMPOTENCY_IN_PROGRESS,
                message=_("A request with this Idempotency-Key is still running."),
            )
        return _replay(existing, fingerprint)
    return response


def idempotent_posts(run: RunCallable) -> RunCallable:
    """Ninja "view" decorator applied to every operation of the API."""

    @wraps(run)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return run(request, *args, **kwargs)
        user = request_user(request)
        if user is None:
            return run(request, *args, **kwargs)  # ninja answers 401/403
        if not _VALID_KEY.match(key):
            return error_response(
                status=422,
                code=ErrorCode.VALIDATION,
                message=_("The Idempotency-Key header is not valid."),
                fields={HEADER: [_("1 to 255 visible ASCII characters.")]},
            )
        idempotency_purge_expired_at_most_hourly()
        return idempotency_run(
            request=request,
            user=user,
            key=key,
            run=lambda: run(request, *args, **kwargs),
        )

    return wrapper


def idempotency_purge_expired() -> int:
    """Delete expired records; returns how many were deleted."""
    deleted, _counts = IdempotencyRecord.objects.filter(
        created_at__lt=_expiry_cutoff()
    ).delete()
    return deleted


def idempotency_purge_expired_at_most_hourly() -> int | None:
    """Purge expired records unless it was done in the last hour (``cache.add`` lets
    one caller win); returns how many were deleted, or None when not due."""
    if not cache.add(PURGE_CACHE_KEY, now().isoformat(), PURGE_INTERVAL_SECONDS):
        return None
    return idempotency_purge_expired()
