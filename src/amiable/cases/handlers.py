"""Reactions of the cases app to events emitted by the apps built on it."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amiable.cases.models import Case, CaseStatus, EscalationLevel, EscalationSource
from amiable.cases.services import case_change_status, case_escalate
from amiable.events.catalogue import DisputeMediationReferred
from amiable.events.registry import event_handler


@event_handler(DisputeMediationReferred)
def dispute_mediation_referred_handler(event: DisputeMediationReferred) -> None:
    """A dispute went to the consumer mediator: the case climbs to level 3 unless
    it is there or higher already (a replay changes nothing). A case resolved or
    closed meanwhile reopens first: the dispute is not settled."""
    case = Case.objects.filter(pk=event.case_id).select_related("customer").first()
    if case is None or case.escalation_level >= EscalationLevel.MEDIATOR:
        return
    if not case.is_open:
        case = case_change_status(actor=None, case=case, status=CaseStatus.OPEN)
    case_escalate(
        actor=None,
        case=case,
        level=EscalationLevel.MEDIATOR,
        reason=_("Referred to the consumer mediator %(mediator)s.")
        % {"mediator": event.mediator},
        source=EscalationSource.MEDIATION,
    )
