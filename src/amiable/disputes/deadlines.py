"""The legal deadlines of one dispute, computed from its recorded dates.

Pure: it reads a ``Dispute`` and its proposals (already loaded) and returns what the
panel, the API and the stored ``LegalDeadline`` rows show. Nothing here is paused or
counted in business hours: legal limits run on calendar days (``legal_clocks``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext as _

from amiable.disputes.legal_clocks import LegalEnd, legal_end, on_day
from amiable.disputes.models import (
    MEDIATION_ENDINGS,
    Dispute,
    DisputeOutcome,
    Proposal,
    ProposalAuthor,
    ProposalResponse,
)
from amiable.disputes.rules import RULES, Bearer, LegalRule, Rule


class DeadlineState(StrEnum):
    RUNNING = "running"
    MET = "met"
    OVERDUE = "overdue"  # a deadline someone had to meet has passed
    ENDED = "ended"  # a period the customer had (or a limitation) is over
    SUSPENDED = "suspended"  # limitation suspended while the mediation runs


@dataclass(frozen=True)
class ComputedDeadline:
    rule: LegalRule
    trigger_key: str
    triggered_at: dt.datetime
    end: LegalEnd | None  # None only while a limitation is suspended
    met_at: dt.datetime | None = None
    note: str = ""

    @property
    def code(self) -> str:
        return str(self.rule.code)

    @property
    def due_at(self) -> dt.datetime | None:
        return self.end.due_at if self.end is not None else None

    def state(self, at: dt.datetime) -> DeadlineState:
        if self.met_at is not None:
            return DeadlineState.MET
        if self.end is None:
            return DeadlineState.SUSPENDED
        if at <= self.end.due_at:
            return DeadlineState.RUNNING
        if self.rule.bearer in {Bearer.CONSUMER, Bearer.LIMITATION}:
            return DeadlineState.ENDED
        return DeadlineState.OVERDUE


def _earliest(*moments: dt.datetime | None) -> dt.datetime | None:
    present = [moment for moment in moments if moment is not None]
    return min(present) if present else None


def _period_end(dispute: Dispute, rule: LegalRule, start: dt.datetime) -> LegalEnd:
    assert rule.period is not None  # noqa: S101 - rules with a period only
    return legal_end(
        start,
        rule.period,
        zone=dispute.legal_time_zone,
        extension=rule.extension,
        subdivision=dispute.holiday_subdivision or None,
    )


def _complaint_deadlines(
    dispute: Dispute, proposals: list[Proposal]
) -> Iterable[ComputedDeadline]:
    complained = dispute.written_complaint_at
    if complained is None:
        return
    window = RULES[Rule.REFERRAL_WINDOW_1Y]
    window_end = _period_end(dispute, window, complained)
    note = ""
    if dispute.referred_at is not None and dispute.referred_at > window_end.due_at:
        note = _("Referred after the one-year window: the mediator cannot examine it.")
    yield ComputedDeadline(
        window, "", complained, window_end, met_at=dispute.referred_at, note=note
    )
    first_answer = _earliest(
        dispute.complaint_failed_at,
        *(p.proposed_at for p in proposals if p.made_by == ProposalAuthor.COMPANY),
        dispute.outcome_at if dispute.outcome == DisputeOutcome.SETTLED else None,
    )
    answer = RULES[Rule.PRACTICE_NO_ANSWER_2M]
    yield ComputedDeadline(
        answer, "", complained, _period_end(dispute, answer, complained), first_answer
    )


def _mediation_deadlines(dispute: Dispute) -> Iterable[ComputedDeadline]:
    if dispute.complaint_failed_at is not None:
        info = RULES[Rule.INFO_AFTER_FAILED_COMPLAINT]
        yield ComputedDeadline(
            info,
            "",
            dispute.complaint_failed_at,
            _period_end(dispute, info, dispute.complaint_failed_at),
            met_at=dispute.mediator_info_sent_at,
        )
    if dispute.referred_at is not None:
        rejected = (
            dispute.outcome_at
            if dispute.outcome == DisputeOutcome.INADMISSIBLE
            else None
        )
        admissibility = RULES[Rule.INADMISSIBILITY_3W]
        yield ComputedDeadline(
            admissibility,
            "",
            dispute.referred_at,
            _period_end(dispute, admissibility, dispute.referred_at),
            met_at=_earliest(dispute.file_complete_at, rejected),
        )
    if dispute.file_complete_at is not None:
        outcome = RULES[Rule.OUTCOME_90D]
        end = _period_end(dispute, outcome, dispute.file_complete_at)
        note = ""
        if dispute.outcome_extended_to is not None:
            end = on_day(dispute.outcome_extended_to, zone=dispute.legal_time_zone)
            note = _("Extended by the mediator: %(reason)s") % {
                "reason": dispute.extension_reason
            }
        yield ComputedDeadline(
            outcome,
            "",
            dispute.file_complete_at,
            end,
            met_at=dispute.outcome_at
            if dispute.outcome != DisputeOutcome.PENDING
            else None,
            note=note,
        )


def _proposal_deadlines(
    dispute: Dispute, proposals: list[Proposal]
) -> Iterable[ComputedDeadline]:
    rule = RULES[Rule.PROPOSAL_DEADLINE]
    for proposal in proposals:
        if proposal.made_by != ProposalAuthor.MEDIATOR or proposal.respond_by is None:
            continue
        yield ComputedDeadline(
            rule,
            f"proposal:{proposal.pk}",
            proposal.proposed_at,
            on_day(proposal.respond_by, zone=dispute.legal_time_zone),
            met_at=proposal.responded_at
            if proposal.response != ProposalResponse.PENDING
            else None,
        )


def _limitation(dispute: Dispute) -> Iterable[ComputedDeadline]:
    if dispute.mediation_agreed_at is None:
        return
    rule = RULES[Rule.PRESCRIPTION_SUSPENSION]
    ended = dispute.outcome in MEDIATION_ENDINGS and dispute.outcome_at is not None
    if not ended or dispute.outcome_at is None:
        yield ComputedDeadline(
            rule,
            "",
            dispute.mediation_agreed_at,
            None,
            note=_("Limitation suspended since the mediation was agreed."),
        )
        return
    yield ComputedDeadline(
        rule, "", dispute.outcome_at, _period_end(dispute, rule, dispute.outcome_at)
    )


def dispute_deadlines(
    dispute: Dispute, proposals: Iterable[Proposal]
) -> list[ComputedDeadline]:
    """Every legal deadline the dispute's recorded dates start, by due date."""
    loaded = sorted(proposals, key=lambda p: (p.proposed_at, p.pk or 0))
    found = [
        *_complaint_deadlines(dispute, loaded),
        *_mediation_deadlines(dispute),
        *_proposal_deadlines(dispute, loaded),
        *_limitation(dispute),
    ]
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(found, key=lambda item: (item.due_at or far, item.code))
