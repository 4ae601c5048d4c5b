"""Sending the customer the mediator's details once a complaint was not settled
(C. conso L616-1 al. 2, R616-1): name, website and postal address, enough to refer
the case directly (CECMC doctrine F01-1)."""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import snapshot
from amiable.cases.services import case_reply
from amiable.conversations.models import Interaction
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.disputes.models import Dispute, Mediator
from amiable.disputes.services.track import (
    DISPUTE_AUDITED_FIELDS,
    dispute_lock,
    dispute_save,
)


def mediator_info_text(*, mediator: Mediator, customer_name: str, language: str) -> str:
    """The message, in the customer's language."""
    with translation.override(language if language in {"fr", "en"} else "fr"):
        return _(
            "Hello %(name)s,\n\n"
            "We could not settle your complaint between us. You may refer it, free "
            "of charge, to the consumer mediator we come under:\n\n"
            "%(mediator)s\n%(address)s\n%(website)s\n\n"
            "You have one year from your written complaint to do so (article L612-2 "
            "of the French Consumer Code). Mediation is voluntary: you remain free "
            "to go to court.\n"
        ) % {
            "name": customer_name,
            "mediator": mediator.name,
            "address": mediator.postal_address.strip(),
            "website": mediator.website,
        }


@transaction.atomic
def dispute_send_mediator_info(
    *,
    actor: User,
    dispute: Dispute,
    mediator: Mediator,
    expected_version: int | None = None,
) -> Interaction:
    """Send the mediator's details as a reply on the case (delivered by email after
    commit) and record when: that meets FR.MED.INFO_AFTER_FAILED_COMPLAINT, and marks
    the complaint not settled if it was not recorded yet. Raises ValidationError for
    a mediator we left, DisputeVersionConflictError."""
    if not mediator.is_active:
        raise ValidationError(
            _("We are no longer under contract with this mediator."),
            fields={"mediator": [_("Inactive mediator.")]},
        )
    dispute = dispute_lock(dispute, expected_version=expected_version)
    customer = dispute.case.customer
    reply = case_reply(
        actor=actor,
        case=dispute.case,
        body_text=mediator_info_text(
            mediator=mediator,
            customer_name=customer.name,
            language=customer.preferred_language,
        ),
    )
    before = snapshot(dispute, DISPUTE_AUDITED_FIELDS)
    stamp = reply.occurred_at or now()
    dispute.mediator_info_sent_at = stamp
    if dispute.complaint_failed_at is None:
        dispute.complaint_failed_at = stamp
    if dispute.mediator is None:
        dispute.mediator = mediator
    dispute_save(
        actor=actor,
        dispute=dispute,
        before=before,
        action="dispute.mediator_info_sent",
        was_referred=dispute.referred_at is not None,
    )
    return reply
