"""Opening a dispute track and recording its dates (complaint, referral, outcome)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record, snapshot
from amiable.cases.models import Case, CaseKind, CostKind
from amiable.cases.services import case_cost_add
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.core.money import Money
from amiable.customers.models import CustomerKind
from amiable.disputes.errors import DisputeVersionConflictError
from amiable.disputes.models import (
    Dispute,
    DisputeOutcome,
    DisputeStage,
    Mediator,
)
from amiable.disputes.services.deadlines import deadlines_sync
from amiable.disputes.services.validation import dispute_validate
from amiable.events.catalogue import DisputeMediationReferred
from amiable.events.services import event_emit
from amiable.sla.calendars import holiday_subdivision

DISPUTE_AUDITED_FIELDS = [
    "stage",
    "is_consumer",
    "holiday_subdivision",
    "written_complaint_at",
    "complaint_failed_at",
    "mediator_info_sent_at",
    "mediator",
    "referred_at",
    "file_complete_at",
    "mediation_agreed_at",
    "outcome_extended_to",
    "extension_reason",
    "outcome",
    "outcome_at",
    "outcome_summary",
    "version",
]
EDITABLE_FIELDS = frozenset(DISPUTE_AUDITED_FIELDS) - {"stage", "version"}


def _differs(dispute: Dispute, name: str, value: Any) -> bool:
    """Whether setting ``name`` to ``value`` changes the dispute (the same instant
    in another time zone, or the same mediator, is no change)."""
    if name == "mediator":
        return dispute.mediator_id != (value.pk if value is not None else None)
    return bool(getattr(dispute, name) != value)


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    """Event payloads carry UTC instants, whatever zone a date was typed in."""
    return moment.astimezone(dt.UTC) if moment is not None else None


def _stage_of(dispute: Dispute) -> str:
    if dispute.outcome != DisputeOutcome.PENDING:
        return DisputeStage.CLOSED
    if dispute.referred_at is not None:
        return DisputeStage.MEDIATION
    return DisputeStage.AMICABLE


@transaction.atomic
def dispute_open(
    *,
    actor: User | None,
    case: Case,
    written_complaint_at: dt.datetime | None = None,
) -> Dispute:
    """Start the dispute track of a dispute case (once: a second call returns the
    existing track unchanged). Starts the complaint deadlines when the written
    complaint date is given. Raises ValidationError for a case of another kind or a
    complaint date in the future."""
    existing = Dispute.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if case.kind != CaseKind.DISPUTE:
        raise ValidationError(
            _("Only a case of kind dispute has a dispute track."),
            fields={"case_id": [_("This case is not a dispute.")]},
        )
    dispute = Dispute(
        case=case,
        is_consumer=case.customer.kind == CustomerKind.PERSON,
        legal_time_zone=settings.TIME_ZONE,
        written_complaint_at=written_complaint_at,
    )
    dispute_validate(dispute, changed={"written_complaint_at"}, at=now())
    try:
        with transaction.atomic():
            dispute.save()
    except IntegrityError:
        # Opened at the same moment by another request or the CaseOpened handler.
        return Dispute.objects.get(case=case)
    audit_record(
        actor=actor,
        action="dispute.open",
        instance=dispute,
        after=snapshot(dispute, DISPUTE_AUDITED_FIELDS) | {"case": case.pk},
    )
    deadlines_sync(actor=actor, dispute=dispute)
    return dispute


def dispute_lock(dispute: Dispute, *, expected_version: int | None) -> Dispute:
    """Re-read the dispute under a row lock; raise when ``expected_version`` is
    stale (someone else changed it meanwhile)."""
    locked = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("case", "case__customer", "mediator")
        .get(pk=dispute.pk)
    )
    if expected_version is not None and locked.version != expected_version:
        raise DisputeVersionConflictError(
            _("Someone else changed this dispute meanwhile. Reload it and try again."),
            fields={
                "version": [
                    _("Expected %(expected)s, current is %(current)s.")
                    % {"expected": expected_version, "current": locked.version}
                ]
            },
            extra={"current_version": locked.version},
        )
    return locked


def _referral_fee(actor: User | None, dispute: Dispute, mediator: Mediator) -> None:
    """The mediator's fee is our cost, never the consumer's (R612-1)."""
    if mediator.fee_amount <= 0:
        return
    case_cost_add(
        actor=actor,
        case=dispute.case,
        kind=CostKind.MEDIATOR_FEES,
        cost=Money(mediator.fee_amount, mediator.fee_currency),
        description=_("Mediation fee: %(mediator)s") % {"mediator": mediator.name},
        incurred_at=dispute.referred_at,
        source=f"disputes.referral:{dispute.pk}:{mediator.pk}",
    )


def dispute_save(
    *,
    actor: User | None,
    dispute: Dispute,
    before: dict[str, Any],
    action: str,
    was_referred: bool,
) -> Dispute:
    """Write a locked dispute whose fields were changed: stage, version, audit,
    deadlines, and the referral event and fee the first time it is referred."""
    dispute.stage = _stage_of(dispute)
    dispute.version += 1
    dispute.save()
    audit_record(
        actor=actor,
        action=action,
        instance=dispute,
        before=before,
        after=snapshot(dispute, DISPUTE_AUDITED_FIELDS),
    )
    deadlines_sync(actor=actor, dispute=dispute)
    if (
        not was_referred
        and dispute.referred_at is not None
        and dispute.mediator is not None
    ):
        _referral_fee(actor, dispute, dispute.mediator)
        event_emit(
            DisputeMediationReferred(
                case_id=dispute.case_id,
                customer_id=dispute.case.customer_id,
                mediator=dispute.mediator.name,
                referred_at=dispute.referred_at.astimezone(dt.UTC),
                file_complete_at=utc(dispute.file_complete_at),
            ),
            actor=actor,
        )
    return dispute


@transaction.atomic
def dispute_update(
    *,
    actor: User,
    dispute: Dispute,
    expected_version: int | None,
    **changes: Any,
) -> Dispute:
    """Record or correct the dispute's dates, mediator and outcome.

    Every change is checked against the others (``dispute_validate``): no date in
    the future, a referral needs a written complaint, the mediator's details sent
    and a consumer; a file is complete after it was referred; an extension needs a
    reason and a later date; an outcome needs its date. The legal deadlines follow
    (events for each one started, moved, cancelled or met); the first referral
    emits ``dispute.mediation_referred`` and books the mediator's fee.
    Raises ValidationError, DisputeVersionConflictError (409)."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here."),
            fields={
                name: [_("Unknown or read-only field.")] for name in sorted(unknown)
            },
        )
    if "holiday_subdivision" in changes:
        try:
            changes["holiday_subdivision"] = (
                holiday_subdivision(changes["holiday_subdivision"] or None) or ""
            )
        except ValueError:
            raise ValidationError(
                _("Unknown holiday region."),
                fields={"holiday_subdivision": [_("Use 57 for Alsace-Moselle.")]},
            ) from None
    for name in ("extension_reason", "outcome_summary"):
        if name in changes:
            changes[name] = str(changes[name] or "").strip()
    dispute = dispute_lock(dispute, expected_version=expected_version)
    before = snapshot(dispute, DISPUTE_AUDITED_FIELDS)
    was_referred = dispute.referred_at is not None
    previous_mediator_id = dispute.mediator_id
    changed = {
        name for name, value in changes.items() if _differs(dispute, name, value)
    }
    for name, value in changes.items():
        setattr(dispute, name, value)
    if not changed:
        return dispute
    if dispute.mediator_id != previous_mediator_id and dispute.mediator is not None:
        changed.add("mediator_active")
    dispute_validate(dispute, changed=changed, at=now())
    return dispute_save(
        actor=actor,
        dispute=dispute,
        before=before,
        action="dispute.update",
        was_referred=was_referred,
    )
