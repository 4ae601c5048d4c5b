"""The business rules a dispute's dates must follow together (domain rules §1)."""

from __future__ import annotations

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amiable.core.errors import ValidationError
from amiable.disputes.legal_clocks import legal_end
from amiable.disputes.models import Dispute, DisputeOutcome
from amiable.disputes.rules import RULES, Rule

# A clock a few minutes ahead of ours must not make "now" a date in the future.
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# The oldest date a dispute may carry: older is a typing error (year 1, 1138…),
# and before 1970 the legal time zone had offsets no RFC 3339 timestamp can say.
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
DATE_FIELDS = (
    "written_complaint_at",
    "complaint_failed_at",
    "mediator_info_sent_at",
    "referred_at",
    "file_complete_at",
    "mediation_agreed_at",
    "outcome_at",
)
MEDIATION_OUTCOMES = frozenset(
    {
        DisputeOutcome.MEDIATION_AGREEMENT,
        DisputeOutcome.MEDIATION_FAILED,
        DisputeOutcome.INADMISSIBLE,
    }
)


def _not_before(
    errors: dict[str, list[str]],
    dispute: Dispute,
    field: str,
    earlier: str,
    message: str,
) -> None:
    value = getattr(dispute, field)
    reference = getattr(dispute, earlier)
    if value is not None and reference is not None and value < reference:
        errors.setdefault(field, []).append(message)


def _dates(errors: dict[str, list[str]], dispute: Dispute, at: dt.datetime) -> None:
    for name in DATE_FIELDS:
        value = getattr(dispute, name)
        if value is not None and value.tzinfo is None:
            errors.setdefault(name, []).append(_("Give a time zone."))
        elif value is not None and value > at + FUTURE_TOLERANCE:
            errors.setdefault(name, []).append(_("This date is in the future."))
        elif value is not None and value < EARLIEST:
            errors.setdefault(name, []).append(_("This date is too far in the past."))
    _not_before(
        errors,
        dispute,
        "complaint_failed_at",
        "written_complaint_at",
        _("Before the written complaint."),
    )
    _not_before(
        errors,
        dispute,
        "referred_at",
        "written_complaint_at",
        _("Before the written complaint."),
    )
    for name in ("file_complete_at", "mediation_agreed_at"):
        _not_before(errors, dispute, name, "referred_at", _("Before the referral."))
    _not_before(
        errors,
        dispute,
        "outcome_at",
        "written_complaint_at",
        _("Before the written complaint."),
    )


def _referral(
    errors: dict[str, list[str]], dispute: Dispute, changed: set[str]
) -> None:
    if dispute.referred_at is None:
        for name in ("file_complete_at", "mediation_agreed_at"):
            if getattr(dispute, name) is not None:
                errors.setdefault(name, []).append(_("Record the referral first."))
        if dispute.outcome in MEDIATION_OUTCOMES:
            errors.setdefault("outcome", []).append(
                _("This outcome needs a referral to the mediator.")
            )
        return
    if dispute.mediator is None:
        errors.setdefault("mediator", []).append(_("Which mediator?"))
    elif "mediator_active" in changed and not dispute.mediator.is_active:
        errors.setdefault("mediator", []).append(
            _("We are no longer under contract with this mediator.")
        )
    if dispute.written_complaint_at is None:
        # L612-2 1°: the consumer must first have complained to us in writing.
        errors.setdefault("written_complaint_at", []).append(
            _("Record the customer's written complaint before the referral.")
        )
    if "referred_at" not in changed:
        return
    if dispute.mediator_info_sent_at is None:
        # L616-1 and the product rule: no mediator level before the details.
        errors.setdefault("mediator_info_sent_at", []).append(
            _("Send the customer the mediator's details first.")
        )
    if not dispute.is_consumer:
        # L611-3: disputes between professionals are not consumer mediation.
        errors.setdefault("is_consumer", []).append(
            _("Consumer mediation is only for consumers and non-professionals.")
        )


def _extension(errors: dict[str, list[str]], dispute: Dispute) -> None:
    if dispute.outcome_extended_to is None:
        return
    if dispute.file_complete_at is None:
        errors.setdefault("outcome_extended_to", []).append(
            _("The 90 days start when the file is complete.")
        )
        return
    rule = RULES[Rule.OUTCOME_90D]
    assert rule.period is not None  # noqa: S101 - OUTCOME_90D has one
    normal = legal_end(
        dispute.file_complete_at, rule.period, zone=dispute.legal_time_zone
    )
    if dispute.outcome_extended_to <= normal.last_day:
        errors.setdefault("outcome_extended_to", []).append(
            _("An extension ends after %(day)s.")
            % {"day": date_format(normal.last_day, "SHORT_DATE_FORMAT")}
        )
    if not dispute.extension_reason:
        errors.setdefault("extension_reason", []).append(
            _("Say why the mediator extended it.")
        )


def _outcome(errors: dict[str, list[str]], dispute: Dispute) -> None:
    if dispute.outcome not in DisputeOutcome.values:
        errors.setdefault("outcome", []).append(_("Unknown outcome."))
    elif dispute.outcome == DisputeOutcome.PENDING and dispute.outcome_at is not None:
        errors.setdefault("outcome", []).append(_("Choose the outcome of that date."))
    elif dispute.outcome != DisputeOutcome.PENDING and dispute.outcome_at is None:
        errors.setdefault("outcome_at", []).append(_("When did it end?"))


def dispute_validate(dispute: Dispute, *, changed: set[str], at: dt.datetime) -> None:
    """Raise one ValidationError listing every broken rule, by field."""
    errors: dict[str, list[str]] = {}
    _dates(errors, dispute, at)
    _referral(errors, dispute, changed)
    _extension(errors, dispute)
    _outcome(errors, dispute)
    if errors:
        raise ValidationError(_("The dispute cannot be saved."), fields=errors)
