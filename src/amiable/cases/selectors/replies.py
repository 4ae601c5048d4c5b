"""Where a reply to a case goes out from: the mailbox the customer wrote to."""

from __future__ import annotations

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.models.drafts import ReplyDraft
from amiable.cases.selectors.timeline import case_timeline_loaded
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.core.mail_senders import MailSender, mail_sender_for

# Recipients of the customer's email tried when it came in through no known mailbox
# (an HTTP post of raw MIME): the first of ours among To and Cc wins.
RECIPIENTS_TRIED = 5


def case_reply_sender(*, case: Case) -> MailSender | None:
    """The support mailbox of the customer's latest email on ``case`` (the one it
    was received on, else one of ours it was addressed to), or None: the reply then
    goes from the default sender. One query (none when the page's timeline is
    read already), plus one per address tried."""
    timeline = case_timeline_loaded(case)
    if timeline is not None:
        latest = max(
            (
                row
                for row in timeline
                if row.channel == Channel.EMAIL and row.direction == Direction.INBOUND
            ),
            key=lambda row: (row.occurred_at, row.pk),
            default=None,
        )
        metadata = latest.metadata if latest is not None else None
    else:
        metadata = (
            Interaction.objects.filter(
                case=case, channel=Channel.EMAIL, direction=Direction.INBOUND
            )
            .order_by("-occurred_at", "-id")
            .values_list("metadata", flat=True)
            .first()
        )
    email = (metadata or {}).get("email")
    if not isinstance(email, dict):
        return None
    mailbox = email.get("mailbox")
    addresses = [str(mailbox)] if mailbox else []
    for key in ("to", "cc"):
        addresses += [str(value) for value in email.get(key) or []]
    for address in addresses[:RECIPIENTS_TRIED]:
        sender = mail_sender_for(address)
        if sender is not None:
            return sender
    return None


def reply_draft_initial(*, actor: User, case: Case) -> dict[str, str]:
    """The composer's fields from ``actor``'s draft on ``case`` (one query), or
    {} when there is none."""
    draft = ReplyDraft.objects.filter(case=case, author=actor).first()
    if draft is None:
        return {}
    values = {"body": draft.body, "cc": draft.cc, "bcc": draft.bcc}
    if draft.channel:
        values["channel"] = draft.channel
    return values
