"""Sign-in throttling: wrong passwords are counted per account and client address,
per client address, and per account; past a limit, sign-in is locked for a while.

The limits are settings (``SIGNIN_*``). A lock for an account *from one address*
(the usual case: someone guessing) does not stop the account's owner from signing
in elsewhere; only the much higher per-account limit locks it everywhere. Counting
restarts after a lock (its ``locked_at``), so a lifted or expired lock gives the
full allowance back. Attempts during a lock are refused without being counted or
checking the password.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from amiable.accounts.models import LockScope, SignInFailure, SignInLock, User
from amiable.accounts.selectors import signin_username_key
from amiable.audit.services import audit_record
from amiable.core.clock import now

FAILURES_KEPT = dt.timedelta(days=1)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.SIGNIN_WINDOW_MINUTES))


def _lock_length() -> dt.timedelta:
    return dt.timedelta(minutes=int(settings.SIGNIN_LOCK_MINUTES))


def _key_filter(scope: LockScope, username: str, address: str) -> Q:
    if scope == LockScope.ACCOUNT_AND_ADDRESS:
        return Q(username=username, address=address)
    if scope == LockScope.ADDRESS:
        return Q(address=address)
    return Q(username=username)


def _failures_since_last_lock(
    scope: LockScope, username: str, address: str, stamp: dt.datetime
) -> int:
    since = stamp - _window()
    last_lock = (
        SignInLock.objects.filter(
            scope=scope,
            username=username if scope != LockScope.ADDRESS else "",
            address=address if scope != LockScope.ACCOUNT else "",
        )
        .order_by("-locked_at")
        .values_list("locked_at", flat=True)
        .first()
    )
    if last_lock is not None and last_lock > since:
        since = last_lock
    return SignInFailure.objects.filter(
        _key_filter(scope, username, address), at__gt=since
    ).count()


def _limits(username: str, address: str) -> list[tuple[LockScope, int]]:
    limits: list[tuple[LockScope, int]] = []
    if username and address:
        limits.append(
            (
                LockScope.ACCOUNT_AND_ADDRESS,
                int(settings.SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS),
            )
        )
    if address:
        limits.append((LockScope.ADDRESS, int(settings.SIGNIN_FAILURES_PER_ADDRESS)))
    if username:
        limits.append((LockScope.ACCOUNT, int(settings.SIGNIN_FAILURES_PER_ACCOUNT)))
    return [(scope, limit) for scope, limit in limits if limit > 0]


@transaction.atomic
def signin_failure_record(*, username: str, address: str) -> SignInLock | None:
    """Count one wrong password for ``username`` (blank: an unknown API token)
    from ``address``; return the lock it triggers, if any (audited)."""
    key = signin_username_key(username)
    address = address[:45]
    stamp = now()
    SignInFailure.objects.filter(at__lt=stamp - FAILURES_KEPT).delete()
    SignInFailure.objects.create(username=key, address=address, at=stamp)
    for scope, limit in _limits(key, address):
        if _failures_since_last_lock(scope, key, address, stamp) < limit:
            continue
        lock = SignInLock.objects.create(
            scope=scope,
            username=key if scope != LockScope.ADDRESS else "",
            address=address if scope != LockScope.ACCOUNT else "",
            locked_at=stamp,
            until=stamp + _lock_length(),
        )
        audit_record(
            actor=None,
            action="signin.lock",
            instance=lock,
            actor_label="system",
            after={
                "scope": scope,
                "username": lock.username,
                "address": lock.address,
                "until": lock.until,
            },
        )
        return lock
    return None


@transaction.atomic
def signin_success_record(*, user: User, address: str) -> None:
    """A correct password: the account's count from this address starts again."""
    SignInFailure.objects.filter(
        username=signin_username_key(user.get_username()), address=address[:45]
    ).delete()


@transaction.atomic
def signin_lock_lift(*, actor: User | None, lock: SignInLock) -> SignInLock:
    """Lift a lock before it expires (an administrator's unlock); idempotent."""
    if lock.lifted_at is None:
        lock.lifted_at = now()
        lock.lifted_by = actor
        lock.save(update_fields=["lifted_at", "lifted_by"])
        audit_record(
            actor=actor,
            action="signin.unlock",
            instance=lock,
            after={"scope": lock.scope, "username": lock.username},
        )
    return lock


def signin_locks_lift(
    *, actor: User | None, username: str = "", address: str = ""
) -> int:
    """Lift every active lock of ``username`` and/or ``address``; how many."""
    criteria = Q()
    if username:
        criteria &= Q(username=signin_username_key(username))
    if address:
        criteria &= Q(address=address)
    if not criteria:
        return 0
    active = SignInLock.objects.filter(
        criteria, lifted_at__isnull=True, until__gt=now()
    )
    count = 0
    for lock in active:
        signin_lock_lift(actor=actor, lock=lock)
        count += 1
    return count
