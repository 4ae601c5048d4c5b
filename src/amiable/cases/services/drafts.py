"""Reply drafts kept on the server, per agent and case (autosaved as they type);
sending the reply discards the draft."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.models.drafts import ReplyDraft
from amiable.conversations.models import Direction, Interaction
from amiable.core.clock import now
from amiable.core.errors import ValidationError

MAX_DRAFT_CHARS = 200_000
MAX_COPIES_CHARS = 2000
# An autosave still in flight when the reply went out arrives after it: its text
# is the reply's, and keeping it would put the sent text back in the composer.
LATE_AUTOSAVE = dt.timedelta(minutes=2)


def _just_sent(actor: User, case: Case, body: str) -> bool:
    latest = (
        Interaction.objects.filter(
            case=case,
            author=actor,
            direction=Direction.OUTBOUND,
            created_at__gte=now() - LATE_AUTOSAVE,
        )
        .order_by("-id")
        .values_list("body_text", flat=True)
        .first()
    )
    return latest is not None and latest.strip() == body.strip()


@transaction.atomic
def reply_draft_save(
    *,
    actor: User,
    case: Case,
    body: str,
    cc: str = "",
    bcc: str = "",
    channel: str = "",
) -> ReplyDraft | None:
    """Keep ``actor``'s draft of a reply on ``case`` (None: an empty draft is
    discarded). Not audited: a draft is the agent's own scratch text. Raises
    ValidationError for a text or copies too long to keep."""
    if len(body) > MAX_DRAFT_CHARS:
        raise ValidationError(
            _("The draft is too long."), fields={"body": [_("Too long.")]}
        )
    if len(cc) > MAX_COPIES_CHARS or len(bcc) > MAX_COPIES_CHARS:
        raise ValidationError(
            _("The draft is too long."), fields={"cc": [_("Too long.")]}
        )
    if not body.strip() and not cc.strip() and not bcc.strip():
        reply_draft_discard(actor=actor, case=case)
        return None
    if _just_sent(actor, case, body):
        return None
    draft, _created = ReplyDraft.objects.update_or_create(
        case=case,
        author=actor,
        defaults={"body": body, "cc": cc, "bcc": bcc, "channel": channel[:10]},
    )
    return draft


def reply_draft_discard(*, actor: User, case: Case) -> None:
    """Forget ``actor``'s draft on ``case`` (the reply went out, or was emptied)."""
    ReplyDraft.objects.filter(case=case, author=actor).delete()
