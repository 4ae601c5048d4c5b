"""Reads of accounts data."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from amiable.accounts.models import (
    ApiToken,
    LockScope,
    RecoveryCode,
    Role,
    SignInLock,
    SignInSettings,
    Team,
    TotpDevice,
    User,
)
from amiable.accounts.permissions import can_manage_tokens_of_others
from amiable.core.clock import now


def user_list_assignable(*, actor: User) -> QuerySet[User]:
    """Active staff the actor may see in assignee pickers."""
    return (
        User.objects.filter(is_active=True)
        .select_related("team")
        .order_by("first_name", "last_name", "username")
    )


def team_list(*, actor: User) -> QuerySet[Team]:
    return Team.objects.all()


def token_list(*, actor: User, user: User | None = None) -> QuerySet[ApiToken]:
    """Tokens of ``user`` (default: the actor); others' only for administrators."""
    owner = user or actor
    if owner.pk != actor.pk and not can_manage_tokens_of_others(actor):
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=owner)


def signin_username_key(username: str) -> str:
    """The throttle key of a typed username: case and spaces do not dodge it."""
    return username.strip().lower()[:150]


def signin_lock_find(*, username: str, address: str) -> SignInLock | None:
    """The active lock that refuses ``username`` from ``address``, if any (an
    account lock from that address, a lock of the address, or of the account)."""
    key = signin_username_key(username)
    matching = Q(scope=LockScope.ADDRESS, address=address) if address else Q(pk=None)
    if key:
        matching |= Q(scope=LockScope.ACCOUNT, username=key)
        if address:
            matching |= Q(
                scope=LockScope.ACCOUNT_AND_ADDRESS, username=key, address=address
            )
    return (
        SignInLock.objects.filter(matching, lifted_at__isnull=True, until__gt=now())
        .order_by("-until")
        .first()
    )


def signin_settings_get() -> SignInSettings:
    """The saved sign-in settings, or (unsaved) defaults."""
    return SignInSettings.objects.filter(pk=1).first() or SignInSettings(pk=1)


def two_factor_is_on(user: User) -> bool:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def two_factor_is_required(user: User) -> bool:
    """Whether the settings make ``user``'s role use two-step verification."""
    return signin_settings_get().requires_two_factor(user.role)


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def totp_device_pending(user: User) -> TotpDevice | None:
    """The actor's app being set up (not yet confirmed), if any."""
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=True).first()


def administrators_count() -> int:
    """How many active administrators can sign in (for the start banner)."""
    return User.objects.filter(role=Role.ADMIN, is_active=True).count()
