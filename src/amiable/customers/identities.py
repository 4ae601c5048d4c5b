"""Normalising identities so one person is recognised on every channel."""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from amiable.core.errors import ValidationError
from amiable.customers.models import IdentityKind

_SOCIAL_HANDLE = re.compile(r"^[\w.\-]{1,80}$", re.UNICODE)


# RFC 6532: a local part may hold any UTF-8 letter (``élodie``, ``用户``), which
# Django's validator (ASCII local parts) refuses; the dot-atom form only.
_UTF8_LOCAL = re.compile(r"^[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*$")


def _is_international_address(candidate: str) -> bool:
    local, _at, domain = candidate.rpartition("@")
    if local.isascii() or len(local.encode()) > 64 or len(candidate) > 254:
        return False
    if not _UTF8_LOCAL.fullmatch(local):
        return False
    try:
        validate_email(f"postmaster@{domain}")  # the domain, IDN included
    except DjangoValidationError:
        return False
    return True


def normalize_email(value: str) -> str:
    candidate = value.strip().lower()
    try:
        validate_email(candidate)
    except DjangoValidationError as exc:
        if _is_international_address(candidate):
            return candidate
        raise ValidationError(
            _("This is not a valid email address."),
            fields={"value": [_("Enter a valid email address.")]},
        ) from exc
    return candidate


def _phone_parse(value: str, region: str | None) -> phonenumbers.PhoneNumber:
    return phonenumbers.parse(value, region or settings.AMIABLE_PHONE_REGION)


def normalize_phone(value: str, region: str | None = None) -> str:
    """Return the E.164 form, reading national numbers in ``region`` (by default
    ``AMIABLE_PHONE_REGION``). Raises ValidationError for what is not a number."""
    try:
        parsed = _phone_parse(value, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("This is not a phone number."),
            fields={"value": [_("Enter a phone number, e.g. +33 6 12 34 56 78.")]},
        ) from exc
    if not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("This phone number does not exist."),
            fields={"value": [_("Enter a valid phone number.")]},
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def phone_e164_or_none(text: str, region: str | None = None) -> str | None:
    """The E.164 form of ``text`` when it is a valid phone number in any national or
    international spelling (« 06 16 80 63 13 », « 0033616806313 »), else None."""
    if sum(char.isdigit() for char in text) < 6 or any(c.isalpha() for c in text):
        return None
    try:
        parsed = _phone_parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_social(value: str, platform: str = "") -> str:
    """Handles are case-insensitive and stored as ``platform:handle``."""
    handle = value.strip().lstrip("@").lower()
    if not _SOCIAL_HANDLE.match(handle):
        raise ValidationError(
            _("This is not a valid social handle."),
            fields={
                "value": [_("Letters, digits, dots, dashes and underscores only.")]
            },
        )
    prefix = platform.strip().lower()
    return f"{prefix}:{handle}" if prefix else handle


def normalize_identity(kind: str, value: str, platform: str = "") -> str:
    if kind == IdentityKind.EMAIL:
        return normalize_email(value)
    if kind == IdentityKind.PHONE:
        return normalize_phone(value)
    if kind == IdentityKind.SOCIAL:
        return normalize_social(value, platform)
    raise ValidationError(
        _("Unknown identity kind."), fields={"kind": [_("Use email, phone or social.")]}
    )
