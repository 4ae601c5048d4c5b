"""Dispute track services: every write of the disputes app."""

from amiable.disputes.services.deadlines import deadlines_sync
from amiable.disputes.services.mediator_info import (
    dispute_send_mediator_info,
    mediator_info_text,
)
from amiable.disputes.services.proposals import proposal_add, proposal_respond
from amiable.disputes.services.track import (
    dispute_lock,
    dispute_open,
    dispute_update,
)

__all__ = [
    "deadlines_sync",
    "dispute_lock",
    "dispute_open",
    "dispute_send_mediator_info",
    "dispute_update",
    "mediator_info_text",
    "proposal_add",
    "proposal_respond",
]
