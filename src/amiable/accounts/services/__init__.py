"""Account services: staff users, teams and personal API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import ApiToken, Role, Team, User
from amiable.audit.services import audit_record
from amiable.core.clock import now
from amiable.core.errors import DuplicateError, ValidationError

TOKEN_PREFIX_LENGTH = 8
TOKEN_NAMESPACE = "amb"  # noqa: S105 (a public prefix, not a secret)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@transaction.atomic
def team_create(
    *, actor: User | None, name: str, time_zone: str = "Europe/Paris"
) -> Team:
    """Create a team. Raises DuplicateError when the name is taken."""
    name = name.strip()
    if not name:
        raise ValidationError(
            _("A team needs a name."), fields={"name": [_("Required.")]}
        )
    if Team.objects.filter(name__iexact=name).exists():
        raise DuplicateError(
            _("A team with this name already exists."), fields={"name": [_("Taken.")]}
        )
    team = Team.objects.create(name=name, time_zone=time_zone)
    audit_record(actor=actor, action="team.create", instance=team, after={"name": name})
    return team


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str | None,
    role: str = Role.AGENT,
    team: Team | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
) -> User:
    """Create a staff user. Administrators also get Django admin access."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    if User.objects.filter(username__iexact=username).exists():
        raise DuplicateError(
            _("This username is taken."), fields={"username": [_("Taken.")]}
        )
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        team=team,
        is_staff=role == Role.ADMIN or is_superuser,
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit_record(
        actor=actor,
        action="user.create",
        instance=user,
        after={"username": username, "role": role, "team": team.pk if team else None},
    )
    return user


@transaction.atomic
def user_set_role(*, actor: User, user: User, role: str) -> User:
    """Change a user's role (a permission change, so audited)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    before = {"role": user.role}
    user.role = role
    user.is_staff = role == Role.ADMIN or user.is_superuser
    user.save(update_fields=["role", "is_staff"])
    audit_record(
        actor=actor,
        action="user.set_role",
        instance=user,
        before=before,
        after={"role": role},
    )
    return user


@transaction.atomic
def token_create(*, actor: User | None, user: User, name: str) -> IssuedToken:
    """Issue a token; the plaintext is returned once and only its hash is stored."""
    name = name.strip() or "API"
    prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
    while ApiToken.objects.filter(prefix=prefix).exists():
        prefix = secrets.token_hex(TOKEN_PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name[:100], prefix=prefix, secret_hash=_hash_secret(secret)
    )
    audit_record(
        actor=actor,
        action="token.create",
        instance=token,
        after={"user": user.pk, "name": token.name, "prefix": prefix},
    )
    return IssuedToken(token=token, plaintext=f"{TOKEN_NAMESPACE}_{prefix}_{secret}")


@transaction.atomic
def token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token; revoking twice keeps the first revocation time."""
    if token.revoked_at is None:
        token.revoked_at = now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action="token.revoke",
            instance=token,
            after={"revoked_at": token.revoked_at},
        )
    return token


def token_authenticate(*, plaintext: str) -> User | None:
    """Return the active user owning ``plaintext``, stamping the token's last use.

    Returns None for a malformed, unknown, revoked token or an inactive user.
    """
    parts = plaintext.strip().split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_NAMESPACE:
        return None
    _namespace, prefix, secret = parts
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(
        token.secret_hash, _hash_secret(secret)
    ):
        return None
    if not token.user.is_active:
        return None
    stamp = now()
    if token.last_used_at is None or (stamp - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=stamp)
    return token.user


from amiable.accounts.services.preferences import (  # noqa: E402
    user_notify_by_email_set,
)
from amiable.accounts.services.signin import (  # noqa: E402
    signin_failure_record,
    signin_lock_lift,
    signin_locks_lift,
    signin_success_record,
)
from amiable.accounts.services.two_factor import (  # noqa: E402
    recovery_codes_regenerate,
    signin_settings_update,
    totp_enrol_confirm,
    totp_enrol_start,
    two_factor_check,
    two_factor_disable,
    user_sessions_end,
)

__all__ = [
    "IssuedToken",
    "user_notify_by_email_set",
    "recovery_codes_regenerate",
    "signin_failure_record",
    "signin_lock_lift",
    "signin_locks_lift",
    "signin_settings_update",
    "signin_success_record",
    "team_create",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "totp_enrol_confirm",
    "totp_enrol_start",
    "two_factor_check",
    "two_factor_disable",
    "user_create",
    "user_sessions_end",
    "user_set_role",
]
