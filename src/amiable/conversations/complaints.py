"""A reader marked one of our emails as spam (a feedback-loop report): the email was
delivered, so its delivery state stays as it is; the complaint is written beside it
and audited."""

from __future__ import annotations

from django.db import transaction

from amiable.audit.services import audit_record
from amiable.conversations.delivery import sent_email_locked
from amiable.conversations.models import Interaction
from amiable.core.clock import now


@transaction.atomic
def interaction_mark_complained(
    *, message_ids: list[str], feedback_type: str, reporter: str
) -> Interaction | None:
    """Record on the sent email among ``message_ids`` that its reader complained
    (``complaint_*`` metadata; ``delivery`` is left alone: a complaint proves the
    email arrived). Returns it, or None when no sent email has one of the ids.
    Idempotent: a second report of the same complaint changes nothing."""
    interaction = sent_email_locked(message_ids, "customer")
    if interaction is None:
        return None
    metadata = dict(interaction.metadata or {})
    if metadata.get("complaint_at"):
        return interaction
    metadata.update(
        complaint_at=now().isoformat(),
        complaint_type=feedback_type[:40],
        complaint_reporter=reporter[:254],
    )
    Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
    interaction.metadata = metadata
    audit_record(
        actor=None,
        action="interaction.complaint",
        instance=interaction,
        after={"feedback_type": feedback_type[:40], "reporter": reporter[:254]},
    )
    return interaction
