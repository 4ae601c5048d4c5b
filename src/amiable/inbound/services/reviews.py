"""Online reviews: received through a webhook, answered publicly with a draft first,
the publication recorded so "replied publicly" is tracked."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.audit.services import audit_record
from amiable.cases.models import CaseKind
from amiable.conversations.models import Channel, Direction
from amiable.conversations.services import interaction_record
from amiable.core.clock import now
from amiable.core.errors import ValidationError
from amiable.core.safe_urls import is_link_url, link_url_or_empty
from amiable.inbound.errors import ReviewAlreadyRepliedError
from amiable.inbound.models import Review, WebhookSource
from amiable.inbound.services.channels import (
    ChannelMessage,
    channel_message_receive,
)

OPEN_CASE_AT_MOST = 3  # a rating of 3 or less is a case to handle
COMPLAINT_AT_MOST = 2
MAX_REPLY_CHARS = 5000


@transaction.atomic
def review_receive(
    *,
    source: WebhookSource,
    nonce: str,
    message: ChannelMessage,
    platform: str,
    rating: int,
    url: str,
    author_name: str,
) -> tuple[Review, bool]:
    """Store a review once (per source and id); a rating of 3 or less opens a case
    (a complaint at 2 or less). Returns the review and whether it is new."""
    if not 1 <= rating <= 5:
        raise ValidationError(
            _("A rating is between 1 and 5."), fields={"rating": [_("1 to 5.")]}
        )
    message = ChannelMessage(
        **{
            **message.__dict__,
            "open_case": rating <= OPEN_CASE_AT_MOST,
            "reuse_open_case": False,
            "case_kind": CaseKind.COMPLAINT
            if rating <= COMPLAINT_AT_MOST
            else CaseKind.QUESTION,
            "metadata": {**message.metadata, "rating": rating, "platform": platform},
        }
    )
    result = channel_message_receive(source=source, nonce=nonce, message=message)
    if not result.created:
        return Review.objects.get(interaction=result.interaction), False
    review = Review.objects.create(
        interaction=result.interaction,
        customer=result.interaction.customer,
        case=result.case,
        platform=platform.strip().lower()[:40],
        external_id=message.external_id[:200],
        url=link_url_or_empty(url)[:500],
        rating=rating,
        author_name=author_name[:200],
    )
    return review, True


def _check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(
            _("The reply is empty."), fields={"text": [_("Write the reply.")]}
        )
    if len(text) > MAX_REPLY_CHARS:
        raise ValidationError(
            _("The reply is too long."),
            fields={"text": [_("At most 5000 characters.")]},
        )
    return text


@transaction.atomic
def review_reply_draft_save(*, actor: User, review: Review, text: str) -> Review:
    """Keep a draft of the public reply (colleagues can review it before it goes
    out). Raises ReviewAlreadyRepliedError once the reply is published."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.replied_publicly_at is not None:
        raise ReviewAlreadyRepliedError(_("This review was already answered publicly."))
    before = review.reply_draft
    review.reply_draft = _check_text(text)
    review.reply_draft_updated_at = now()
    review.save(update_fields=["reply_draft", "reply_draft_updated_at", "updated_at"])
    audit_record(
        actor=actor,
        action="review.reply_draft",
        instance=review,
        before={"reply_draft": before},
        after={"reply_draft": review.reply_draft},
    )
    return review


@transaction.atomic
def review_reply_publish(
    *, actor: User, review: Review, text: str, public_url: str = ""
) -> Review:
    """Record that the public reply was published (on the platform, by the agent or
    its integration): an outbound review interaction on the timeline, and the review
    marked "replied publicly". Raises ReviewAlreadyRepliedError when it already is."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=review.pk)
    )
    if review.replied_publicly_at is not None:
        raise ReviewAlreadyRepliedError(_("This review was already answered publicly."))
    text = _check_text(text)
    if public_url.strip() and not is_link_url(public_url):
        raise ValidationError(
            _("The address must start with http:// or https://."),
            fields={"public_url": [_("Only http and https addresses.")]},
        )
    public_url = public_url.strip()
    reply = interaction_record(
        actor=actor,
        customer=review.customer,
        case=review.case,
        channel=Channel.REVIEW,
        direction=Direction.OUTBOUND,
        subject=_("Public reply on %(platform)s") % {"platform": review.platform},
        body_text=text,
        metadata={
            "public_reply": True,
            "review_id": review.pk,
            "url": public_url,
            "delivery": "sent",
        },
    ).interaction
    review.reply_draft = text
    review.replied_publicly_at = reply.occurred_at
    review.replied_by = actor
    review.public_reply = reply
    review.public_reply_url = public_url[:500]
    review.save()
    audit_record(
        actor=actor,
        action="review.reply_publish",
        instance=review,
        after={"public_reply": reply.pk, "url": review.public_reply_url},
    )
    return review
