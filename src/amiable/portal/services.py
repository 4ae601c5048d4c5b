"""Portal services: one-time codes (request, verify) and the customer's reply on
their case. The customer is the actor here; staff ``actor`` is None."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.audit.services import audit_record
from amiable.cases.models import Case
from amiable.cases.services import case_record_inbound
from amiable.conversations.attachments import AttachmentIn
from amiable.conversations.models import Channel, Interaction
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.customers.models import Customer, CustomerStatus, Identity, IdentityKind
from amiable.portal.errors import PortalCodeInvalidError, PortalRateLimitedError
from amiable.portal.models import PortalAccess, PortalCode

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5
# Limits (settings PORTAL_CODES_*): per e-mail from one client address within
# the short window, so nobody else can use up a customer's allowance; per e-mail
# from every address and per client address within the long one.
SHORT_WINDOW = dt.timedelta(minutes=15)
LONG_WINDOW = dt.timedelta(hours=1)
MAX_REPLY_CHARS = 20_000


def code_hash(code: str) -> str:
    """HMAC-SHA256 of a code with the server's secret: a stolen table of hashes
    cannot be reversed by trying the million six-digit codes."""
    key = hashlib.sha256(f"amiable.portal.code:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, code.encode(), hashlib.sha256).hexdigest()


def _normalised(email: str) -> str:
    return email.strip().lower()


def _send_code(*, email: str, code: str, language: str) -> None:
    with translation.override(language):
        context = {"code": code, "minutes": int(CODE_LIFETIME.total_seconds() // 60)}
        subject = _("Your code for the customer area")
        body = render_to_string("portal/email/code.txt", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    try:
        message.send(fail_silently=False)
    except OSError:
        # The customer asks again; the code is never stored in clear to retry it.
        logger.exception("portal code email to a customer failed")


def _code_requests_exceeded(*, email: str, requested_from: str) -> bool:
    stamp = now()
    recent = PortalCode.objects.filter(created_at__gte=stamp - LONG_WINDOW)
    for_email = recent.filter(email=email)
    limits = [
        (
            for_email.filter(
                requested_from=requested_from, created_at__gte=stamp - SHORT_WINDOW
            ),
            settings.PORTAL_CODES_PER_EMAIL_AND_ADDRESS,
        ),
        (for_email, settings.PORTAL_CODES_PER_EMAIL),
    ]
    if requested_from:
        limits.append(
            (
                recent.filter(requested_from=requested_from),
                settings.PORTAL_CODES_PER_ADDRESS,
            )
        )
    return any(rows.count() >= int(limit) for rows, limit in limits)


@transaction.atomic
def portal_code_request(*, email: str, requested_from: str = "") -> bool:
    """E-mail a one-time code to ``email`` when it belongs to a customer.

    ``requested_from`` is the real client address (``core.client_address``).
    Returns whether a code was sent; the page says the same thing either way, so
    nobody learns which addresses are customers. Raises PortalRateLimitedError
    after too many requests for the e-mail from this client, for the e-mail in
    all, or from this client."""
    address = _normalised(email)
    if "@" not in address or len(address) > 254:
        raise ValidationError(
            _("Enter a valid email address."), fields={"email": [_("Invalid.")]}
        )
    requested_from = requested_from[:45]
    if _code_requests_exceeded(email=address, requested_from=requested_from):
        raise PortalRateLimitedError(
            _("Too many codes were asked for. Wait a few minutes and try again.")
        )
    stamp = now()
    identity = (
        Identity.objects.select_related("customer")
        .filter(
            kind=IdentityKind.EMAIL,
            normalized=address,
            customer__status=CustomerStatus.ACTIVE,
        )
        .first()
    )
    if identity is None:
        PortalCode.objects.create(
            customer=None,
            email=address,
            created_at=stamp,
            expires_at=stamp,
            requested_from=requested_from,
        )
        return False
    code = "".join(secrets.choice("0123456789") for _digit in range(CODE_DIGITS))
    record = PortalCode.objects.create(
        customer=identity.customer,
        email=address,
        code_hash=code_hash(code),
        created_at=stamp,
        expires_at=stamp + CODE_LIFETIME,
        requested_from=requested_from,
    )
    audit_record(
        actor=None,
        action="portal.code_request",
        instance=record,
        actor_label="customer",
        after={"customer": identity.customer_id},
    )
    language = (identity.customer.preferred_language or "fr")[:2]
    transaction.on_commit(
        lambda: _send_code(email=address, code=code, language=language)
    )
    return True


@transaction.atomic
def _code_consume(*, email: str, code: str) -> Customer | None:
    """Use the latest live code of ``email`` if ``code`` matches it; a wrong code
    counts one attempt (committed: this function does not raise)."""
    record = (
        PortalCode.objects.select_for_update()
        .select_related("customer")
        .filter(email=_normalised(email), used_at__isnull=True, customer__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )
    stamp = now()
    if (
        record is None
        or record.customer is None
        or record.expires_at <= stamp
        or record.attempts >= MAX_ATTEMPTS
    ):
        return None
    if not hmac.compare_digest(record.code_hash, code_hash("".join(code.split()))):
        PortalCode.objects.filter(pk=record.pk).update(attempts=F("attempts") + 1)
        return None
    record.used_at = stamp
    record.save(update_fields=["used_at"])
    audit_record(
        actor=None, action="portal.code_verify", instance=record, actor_label="customer"
    )
    return record.customer


def portal_code_verify(*, email: str, code: str) -> Customer:
    """The customer whose latest code for ``email`` this is. Each wrong try counts;
    after ``MAX_ATTEMPTS`` the code is dead. Raises PortalCodeInvalidError."""
    customer = _code_consume(email=email, code=code)
    if customer is None:
        raise PortalCodeInvalidError(
            _("This code is wrong or has expired. Ask for a new one."),
            fields={"code": [_("Wrong or expired code.")]},
        )
    return customer


@transaction.atomic
def portal_reply(
    *,
    customer: Customer,
    case: Case,
    body_text: str,
    attachments: Iterable[AttachmentIn] = (),
) -> Interaction:
    """The customer answers on their case from the portal: the message lands on
    the case (which reopens when it waited or was resolved). Raises
    ValidationError (another customer's case, empty or too long a message) and
    AttachmentRejectedError."""
    if case.customer_id != customer.pk:
        raise ValidationError(_("This case is not yours."), fields={"case": ["404"]})
    text = body_text.strip()
    files = list(attachments)
    if not text and not files:
        raise ValidationError(
            _("Write a message or attach a file."), fields={"body": [_("Empty.")]}
        )
    if len(text) > MAX_REPLY_CHARS:
        raise ValidationError(
            _("The message is too long."),
            fields={"body": [_("At most 20,000 characters.")]},
        )
    return case_record_inbound(
        customer=customer,
        case=case,
        channel=Channel.PORTAL,
        body_text=text,
        subject=f"[{case.reference}] {case.subject}",
        attachments=files,
    )


@transaction.atomic
def portal_links_revoke(*, customer: Customer) -> PortalAccess:
    """« Sign out all links »: every portal link sent to ``customer`` so far, and
    every portal session of theirs, stops working (new links work)."""
    access, _created = PortalAccess.objects.select_for_update().get_or_create(
        customer=customer
    )
    access.links_generation += 1
    access.revoked_at = now()
    access.save(update_fields=["links_generation", "revoked_at"])
    audit_record(
        actor=None,
        action="portal.links_revoke",
        instance=access,
        actor_label="customer",
        after={"customer": customer.pk, "generation": access.links_generation},
    )
    return access
