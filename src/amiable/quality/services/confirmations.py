"""Asking the customer whether the case is solved, and recording their answer.

When a case is resolved, the customer gets an email on the case ("Is your problem
solved?", in their language) with two signed links. Opening a link records
nothing; the answer is a POST from the page. "No" reopens the case with the
customer's words; "yes" is recorded (with whether it was solved at the first
contact, for survey FCR). This is a service message about the customer's own
request, not marketing: it needs no consent, and is sent once per resolution.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.audit.services import audit_record
from amiable.cases.models import Case, CaseStatus
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import (
    interaction_queue_delivery,
    interaction_record,
)
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.customers.models import CustomerStatus, Identity, IdentityKind
from amiable.quality.errors import ConfirmationAnsweredError, ConfirmationClosedError
from amiable.quality.links import confirmation_url
from amiable.quality.models import (
    ConfirmationStatus,
    FirstContact,
    ResolutionConfirmation,
)
from amiable.quality.services.case_resolution import case_reopen_by_customer
from amiable.quality.services.settings import quality_settings_get
from amiable.quality.signing import public_key_new

MAX_COMMENT = 2000
LANGUAGES = {"fr", "en"}


def _language_of(case: Case) -> str:
    language = (case.customer.preferred_language or "fr")[:2].lower()
    return language if language in LANGUAGES else "fr"


def _has_email(case: Case) -> bool:
    return Identity.objects.filter(
        customer_id=case.customer_id, kind=IdentityKind.EMAIL
    ).exists()


def _supersede(case_id: int, *, keep: int | None = None) -> int:
    """Links still waiting for an answer stop counting (a newer resolution, or
    the case was reopened)."""
    pending = ResolutionConfirmation.objects.filter(
        case_id=case_id, status=ConfirmationStatus.SENT
    )
    if keep is not None:
        pending = pending.exclude(pk=keep)
    return pending.update(status=ConfirmationStatus.SUPERSEDED, updated_at=now())


def _send(confirmation: ResolutionConfirmation, case: Case, days: int) -> None:
    with translation.override(confirmation.language):
        context = {
            "case": case,
            "customer_name": case.customer.name,
            "yes_url": confirmation_url(confirmation.public_key, answer="yes"),
            "no_url": confirmation_url(confirmation.public_key, answer="no"),
            "days": days,
        }
        subject = _("[%(reference)s] Is your problem solved?") % {
            "reference": case.reference
        }
        text = render_to_string("quality/email/confirmation.txt", context).strip()
        html = render_to_string("quality/email/confirmation.html", context)
    recorded = interaction_record(
        actor=None,
        customer=case.customer,
        case=case,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        subject=subject,
        body_text=text,
        body_html=html,
        language=confirmation.language,
        external_id=f"amiable-confirmation-{confirmation.public_key}",
        metadata={"quality_confirmation": confirmation.pk},
    )
    interaction_queue_delivery(interaction=recorded.interaction)
    confirmation.interaction = recorded.interaction
    confirmation.save(update_fields=["interaction", "updated_at"])


@transaction.atomic
def confirmation_request(
    *, case_id: int, resolved_at: dt.datetime
) -> ResolutionConfirmation | None:
    """Ask the customer to confirm the resolution of ``resolved_at`` (once: a second
    call returns the stored confirmation). Returns None when confirmations are off,
    the case is no longer resolved, or its customer was merged. Without an email
    address the confirmation is stored as not sent."""
    config = quality_settings_get()
    if not config.is_confirmation_enabled:
        return None
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("customer")
        .filter(pk=case_id)
        .first()
    )
    if (
        case is None
        or case.status != CaseStatus.RESOLVED
        or case.customer.status == CustomerStatus.MERGED
    ):
        return None
    existing = ResolutionConfirmation.objects.filter(
        case=case, resolved_at=resolved_at
    ).first()
    if existing is not None:
        return existing
    has_email = _has_email(case)
    confirmation = ResolutionConfirmation(
        public_key=public_key_new(),
        case=case,
        customer=case.customer,
        resolved_at=resolved_at,
        language=_language_of(case),
        status=ConfirmationStatus.SENT if has_email else ConfirmationStatus.NOT_SENT,
        expires_at=now() + dt.timedelta(days=config.confirmation_link_days),
    )
    try:
        with transaction.atomic():
            confirmation.save()
    except IntegrityError:
        return ResolutionConfirmation.objects.get(case=case, resolved_at=resolved_at)
    _supersede(case.pk, keep=confirmation.pk)
    audit_record(
        actor=None,
        action="confirmation.request",
        instance=confirmation,
        after={"case": case.pk, "status": confirmation.status},
    )
    if has_email:
        _send(confirmation, case, config.confirmation_link_days)
    return confirmation


def confirmations_supersede(*, case_id: int) -> int:
    """The case was reopened: its waiting links no longer ask anything."""
    return _supersede(case_id)


def _closed(confirmation: ResolutionConfirmation, at: dt.datetime) -> str | None:
    if confirmation.status == ConfirmationStatus.SUPERSEDED:
        return _("This case was reopened or resolved again since this message.")
    if at > confirmation.expires_at:
        return _("This link has expired.")
    return None


@transaction.atomic
def confirmation_answer(
    *,
    confirmation: ResolutionConfirmation,
    is_solved: bool,
    first_contact: str = "",
    comment: str = "",
) -> ResolutionConfirmation:
    """Record the customer's one answer. "No" reopens the case with their comment
    as an inbound message; "yes" adds an activity line to the case.

    Raises ConfirmationAnsweredError (409) for a second answer,
    ConfirmationClosedError (410) for an expired or replaced link, ValidationError
    for an unknown first-contact value or a comment too long."""
    at = now()
    confirmation = (
        ResolutionConfirmation.objects.select_for_update(of=("self",))
        .select_related("case", "case__customer")
        .get(pk=confirmation.pk)
    )
    if confirmation.answered_at is not None:
        raise ConfirmationAnsweredError(_("You have already answered, thank you."))
    reason = _closed(confirmation, at)
    if reason is not None:
        raise ConfirmationClosedError(reason)
    comment = comment.strip()
    errors: dict[str, list[str]] = {}
    if first_contact and first_contact not in FirstContact.values:
        errors["first_contact"] = [_("Unknown answer.")]
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [_("At most 2,000 characters.")]
    if errors:
        raise ValidationError(_("The answer cannot be recorded."), fields=errors)
    confirmation.is_solved = is_solved
    confirmation.first_contact = first_contact
    confirmation.comment = comment
    confirmation.answered_at = at
    confirmation.status = ConfirmationStatus.ANSWERED
    confirmation.save(
        update_fields=[
            "is_solved",
            "first_contact",
            "comment",
            "answered_at",
            "status",
            "updated_at",
        ]
    )
    audit_record(
        actor=None,
        action="confirmation.answer",
        instance=confirmation,
        actor_label="customer",
        after={"is_solved": is_solved, "first_contact": first_contact},
    )
    case = confirmation.case
    if is_solved:
        _activity(confirmation, case)
    else:
        with translation.override(confirmation.language):
            message = comment or _(
                "Not solved (answer to “Is your problem solved?”, no comment)."
            )
        case_reopen_by_customer(
            case=case,
            message=message,
            external_id=f"amiable-confirmation-answer-{confirmation.public_key}",
        )
    return confirmation


def _activity(confirmation: ResolutionConfirmation, case: Case) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        text = _("The customer confirmed the problem is solved.")
    if confirmation.comment:
        text = f"{text}\n« {confirmation.comment} »"
    interaction_record(
        actor=None,
        customer=case.customer,
        case=case,
        channel=Channel.SYSTEM,
        direction=Direction.INTERNAL,
        body_text=text,
        metadata={"quality_confirmation": confirmation.pk, "is_solved": True},
    )
