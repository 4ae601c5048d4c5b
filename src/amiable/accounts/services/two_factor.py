"""Two-step verification: a TOTP authenticator app (RFC 6238, via ``pyotp``) and
one-use recovery codes, plus « sign out everywhere ».

The TOTP secret is encrypted at rest (``EncryptedTextField``); recovery codes are
shown once and only their SHA-256 is kept. A code is accepted within one 30-second
step either side, and never twice (``TotpDevice.last_step``).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

import pyotp
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from amiable.accounts.models import RecoveryCode, SignInSettings, TotpDevice, User
from amiable.audit.services import audit_record
from amiable.core.clock import now
from amiable.core.errors import ConflictError, ValidationError

RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
TOTP_DRIFT_STEPS = 1


def _recovery_normalised(code: str) -> str:
    return "".join(code.lower().split()).replace("-", "")


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(_recovery_normalised(code).encode()).hexdigest()


def totp_provisioning_uri(device: TotpDevice) -> str:
    """The ``otpauth://`` URI an authenticator app reads (from a QR code)."""
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=settings.TWO_FACTOR_ISSUER
    )


def _matching_step(device: TotpDevice, code: str) -> int | None:
    digits = "".join(code.split())
    if not digits.isdigit() or len(digits) != 6:
        return None
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(now())
    for step in range(current - TOTP_DRIFT_STEPS, current + TOTP_DRIFT_STEPS + 1):
        if step > device.last_step and hmac.compare_digest(
            totp.generate_otp(step), digits
        ):
            return step
    return None


@transaction.atomic
def totp_enrol_start(*, actor: User) -> TotpDevice:
    """A new, unconfirmed secret for the actor's app (replacing an unconfirmed
    one). Raises ConflictError when two-step verification is already on."""
    device = TotpDevice.objects.filter(user=actor).first()
    if device is not None and device.confirmed_at is not None:
        raise ConflictError(_("Two-step verification is already on."))
    if device is None:
        device = TotpDevice(user=actor)
    device.secret = pyotp.random_base32()
    device.last_step = 0
    device.save()
    return device


def _recovery_codes_issue(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    stamp = now()
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _i in range(10))
        for _n in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hash(code), created_at=stamp)
        for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


@transaction.atomic
def totp_enrol_confirm(*, actor: User, code: str) -> list[str]:
    """Turn two-step verification on with a first code from the app; returns the
    recovery codes (shown once). Raises ValidationError on a wrong code."""
    device = (
        TotpDevice.objects.select_for_update()
        .filter(user=actor, confirmed_at__isnull=True)
        .first()
    )
    step = _matching_step(device, code) if device is not None else None
    if device is None or step is None:
        raise ValidationError(
            _("This code is wrong. Check the time of your phone and try again."),
            fields={"code": [_("Wrong code.")]},
        )
    device.confirmed_at = now()
    device.last_step = step
    device.save(update_fields=["confirmed_at", "last_step", "updated_at"])
    audit_record(actor=actor, action="two_factor.enable", instance=device)
    return _recovery_codes_issue(actor)


@transaction.atomic
def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New recovery codes for the actor (the old ones stop working)."""
    device = TotpDevice.objects.filter(user=actor, confirmed_at__isnull=False).first()
    if device is None:
        raise ConflictError(_("Two-step verification is off."))
    audit_record(actor=actor, action="two_factor.recovery_codes", instance=device)
    return _recovery_codes_issue(actor)


@transaction.atomic
def two_factor_check(*, user: User, code: str) -> bool:
    """Whether ``code`` is a current app code or an unused recovery code of
    ``user``; either is then spent (a code is never accepted twice)."""
    device = (
        TotpDevice.objects.select_for_update()
        .filter(user=user, confirmed_at__isnull=False)
        .first()
    )
    if device is None:
        return False
    step = _matching_step(device, code)
    if step is not None:
        TotpDevice.objects.filter(pk=device.pk).update(last_step=step)
        return True
    if not _recovery_normalised(code):
        return False
    spent = RecoveryCode.objects.filter(
        user=user, code_hash=_recovery_hash(code), used_at__isnull=True
    ).update(used_at=now())
    if spent:
        audit_record(
            actor=user, action="two_factor.recovery_code_used", instance=device
        )
    return bool(spent)


@transaction.atomic
def two_factor_disable(*, actor: User, user: User) -> None:
    """Turn two-step verification off for ``user`` (themselves, or an
    administrator after a lost phone); their recovery codes go too."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is None:
        return
    audit_record(
        actor=actor, action="two_factor.disable", instance=user, after={"user": user.pk}
    )
    device.delete()
    RecoveryCode.objects.filter(user=user).delete()


@transaction.atomic
def user_sessions_end(*, actor: User | None, user: User) -> User:
    """« Sign out everywhere »: every session of ``user`` ends at its next request
    (the session hash changes with ``sessions_epoch``)."""
    User.objects.filter(pk=user.pk).update(sessions_epoch=F("sessions_epoch") + 1)
    user.refresh_from_db(fields=["sessions_epoch"])
    audit_record(actor=actor, action="user.sessions_end", instance=user)
    return user


@transaction.atomic
def signin_settings_update(
    *, actor: User, settings_row: SignInSettings
) -> SignInSettings:
    """Save which roles must use two-step verification (the one row, pk 1)."""
    settings_row.pk = 1
    settings_row.save()
    audit_record(
        actor=actor,
        action="signin.settings",
        instance=settings_row,
        after={
            "agents": settings_row.two_factor_agents,
            "supervisors": settings_row.two_factor_supervisors,
            "quality_managers": settings_row.two_factor_quality_managers,
            "admins": settings_row.two_factor_admins,
        },
    )
    return settings_row
