"""Reactions of the dispute track to events of other apps."""

from __future__ import annotations

from amiable.cases.models import Case, CaseKind
from amiable.conversations.models import Channel
from amiable.disputes.services import dispute_open
from amiable.events.catalogue import CaseOpened
from amiable.events.registry import event_handler

# A complaint that arrives in one of these is a written complaint (domain rules
# §1.3): its date starts the one-year window to refer the case to the mediator.
WRITTEN_CHANNELS = frozenset({Channel.EMAIL, Channel.LETTER, Channel.PORTAL})


@event_handler(CaseOpened, when=lambda event: event.kind == CaseKind.DISPUTE)
def dispute_open_on_case_opened(event: CaseOpened) -> None:
    """A dispute case gets its track at once; opened in writing, its opening is the
    customer's written complaint (the agent can correct the date)."""
    if event.kind != CaseKind.DISPUTE:
        return
    case = Case.objects.select_related("customer").filter(pk=event.case_id).first()
    if case is None:
        return
    dispute_open(
        actor=None,
        case=case,
        written_complaint_at=case.opened_at
        if case.channel in WRITTEN_CHANNELS
        else None,
    )
