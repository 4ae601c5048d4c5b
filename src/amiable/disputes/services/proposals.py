"""Proposals to settle a dispute: ours (amicable) and the mediator's."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.core.money import Money
from amiable.disputes.errors import ProposalAlreadyAnsweredError
from amiable.disputes.legal_clocks import local_date
from amiable.disputes.models import (
    Dispute,
    DisputeOutcome,
    Proposal,
    ProposalAuthor,
    ProposalResponse,
)
from amiable.disputes.services.track import (
    DISPUTE_AUDITED_FIELDS,
    dispute_lock,
    dispute_save,
)
from amiable.disputes.services.validation import FUTURE_TOLERANCE

MAX_DESCRIPTION = 5000


@transaction.atomic
def proposal_add(
    *,
    actor: User,
    dispute: Dispute,
    made_by: str,
    description: str,
    proposed_at: dt.datetime,
    amount: Money | None = None,
    respond_by: dt.date | None = None,
    expected_version: int | None = None,
) -> Proposal:
    """Record a proposal. A mediator's proposal needs the referral and the date the
    mediator set for the answer (R612-4), which starts FR.MED.PROPOSAL_DEADLINE; our
    first proposal answers the written complaint (FR.MED.PRACTICE_NO_ANSWER_2M).
    Raises ValidationError, DisputeVersionConflictError."""
    description = description.strip()
    errors: dict[str, list[str]] = {}
    if made_by not in ProposalAuthor.values:
        errors["made_by"] = [_("Unknown author.")]
    if not description:
        errors["description"] = [_("Say what is proposed.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [_("Too long.")]
    if proposed_at.tzinfo is None:
        errors["proposed_at"] = [_("Give a time zone.")]
    elif proposed_at > now() + FUTURE_TOLERANCE:
        errors["proposed_at"] = [_("This date is in the future.")]
    if amount is not None and amount.amount < 0:
        errors["amount"] = [_("An amount cannot be negative.")]
    dispute = dispute_lock(dispute, expected_version=expected_version)
    if made_by == ProposalAuthor.MEDIATOR:
        if dispute.referred_at is None:
            errors["made_by"] = [_("The dispute was not referred to a mediator.")]
        if respond_by is None:
            errors["respond_by"] = [_("The mediator sets a date to answer by.")]
    if (
        respond_by is not None
        and proposed_at.tzinfo is not None
        and respond_by < local_date(proposed_at, dispute.legal_time_zone)
    ):
        errors["respond_by"] = [_("Before the proposal.")]
    if errors:
        raise ValidationError(_("The proposal cannot be recorded."), fields=errors)
    before = snapshot(dispute, DISPUTE_AUDITED_FIELDS)
    money = (amount or Money(Decimal(0), "EUR")).quantized()
    proposal = Proposal.objects.create(
        dispute=dispute,
        made_by=made_by,
        description=description,
        amount=money.amount,
        currency=money.currency.upper(),
        proposed_at=proposed_at,
        respond_by=respond_by,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="dispute.proposal_add",
        instance=proposal,
        after={
            "dispute": dispute.pk,
            "made_by": made_by,
            "amount": proposal.amount,
            "currency": proposal.currency,
            "respond_by": respond_by,
        },
    )
    dispute_save(
        actor=actor,
        dispute=dispute,
        before=before,
        action="dispute.update",
        was_referred=dispute.referred_at is not None,
    )
    return proposal


@transaction.atomic
def proposal_respond(
    *,
    actor: User,
    proposal: Proposal,
    is_accepted: bool,
    responded_at: dt.datetime,
    note: str = "",
) -> Proposal:
    """Record the answer to a proposal (once). Accepting ours settles a dispute still
    in its amicable stage; accepting the mediator's ends the mediation with an
    agreement. Raises ValidationError, ProposalAlreadyAnsweredError (409)."""
    dispute = dispute_lock(proposal.dispute, expected_version=None)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.response != ProposalResponse.PENDING:
        raise ProposalAlreadyAnsweredError(
            _("This proposal was already answered."),
            fields={"response": [proposal.get_response_display()]},
        )
    errors: dict[str, list[str]] = {}
    if responded_at.tzinfo is None:
        errors["responded_at"] = [_("Give a time zone.")]
    elif responded_at > now() + FUTURE_TOLERANCE:
        errors["responded_at"] = [_("This date is in the future.")]
    elif responded_at < proposal.proposed_at:
        errors["responded_at"] = [_("Before the proposal.")]
    if errors:
        raise ValidationError(_("The answer cannot be recorded."), fields=errors)
    proposal.response = (
        ProposalResponse.ACCEPTED if is_accepted else ProposalResponse.REFUSED
    )
    proposal.responded_at = responded_at
    proposal.response_note = note.strip()[:500]
    proposal.save(
        update_fields=["response", "responded_at", "response_note", "updated_at"]
    )
    audit_record(
        actor=actor,
        action="dispute.proposal_respond",
        instance=proposal,
        after={"response": proposal.response, "responded_at": responded_at},
    )
    before = snapshot(dispute, DISPUTE_AUDITED_FIELDS)
    if is_accepted and dispute.outcome == DisputeOutcome.PENDING:
        if proposal.made_by == ProposalAuthor.MEDIATOR:
            dispute.outcome = DisputeOutcome.MEDIATION_AGREEMENT
            dispute.outcome_at = responded_at
        elif dispute.referred_at is None:
            dispute.outcome = DisputeOutcome.SETTLED
            dispute.outcome_at = responded_at
    dispute_save(
        actor=actor,
        dispute=dispute,
        before=before,
        action="dispute.update",
        was_referred=dispute.referred_at is not None,
    )
    return proposal
