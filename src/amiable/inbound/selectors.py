"""Scoped reads of the inbound channels: quarantine, reviews, original emails."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.conversations.selectors import interaction_visible_queryset
from amiable.core.errors import NotFoundError, PermissionDeniedError
from amiable.core.mail_senders import MailSender
from amiable.inbound.models import InboundEmail, InboundStatus, Mailbox, Review
from amiable.inbound.permissions import can_manage_inbound


def inbound_email_list(*, actor: User, status: str = "") -> QuerySet[InboundEmail]:
    """The ledger of received emails (administrators only); ``status`` filters."""
    if not can_manage_inbound(actor):
        raise PermissionDeniedError(_("Only administrators see the inbound ledger."))
    queryset = InboundEmail.objects.select_related("mailbox", "case")
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def quarantine_count(*, actor: User) -> int | None:
    if not can_manage_inbound(actor):
        return None
    return InboundEmail.objects.filter(status=InboundStatus.QUARANTINED).count()


def inbound_email_get(*, actor: User, email_id: int) -> InboundEmail:
    """One ledger row (administrators only). Raises NotFoundError."""
    email = inbound_email_list(actor=actor).filter(pk=email_id).first()
    if email is None:
        raise NotFoundError(_("No such inbound email."))
    return email


def inbound_email_for_interaction(*, actor: User, interaction_id: int) -> InboundEmail:
    """The email behind an interaction the actor may see (its full original).
    Raises NotFoundError, as for an interaction the actor may not see."""
    visible = interaction_visible_queryset(actor=actor).filter(pk=interaction_id)
    email = (
        InboundEmail.objects.filter(interaction__in=visible)
        .select_related("interaction")
        .order_by("-id")
        .first()
    )
    if email is None:
        raise NotFoundError(_("No original email for this interaction."))
    return email


def review_list_for_case(*, actor: User, case: Case) -> list[Review]:
    """Reviews attached to a case the actor already sees (the page checked it)."""
    return list(
        Review.objects.filter(case=case)
        .select_related("interaction", "replied_by")
        .order_by("-created_at", "-id")
    )


def review_list(*, actor: User, unanswered_only: bool = False) -> QuerySet[Review]:
    queryset = Review.objects.select_related("customer", "case", "replied_by").filter(
        interaction__in=interaction_visible_queryset(actor=actor)
    )
    if unanswered_only:
        queryset = queryset.filter(replied_publicly_at__isnull=True)
    return queryset


def review_get(*, actor: User, review_id: int) -> Review:
    review = (
        review_list(actor=actor)
        .select_related("interaction")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise NotFoundError(_("No such review."))
    return review


def inbound_email_source(*, email: InboundEmail, limit: int) -> str | None:
    """The first ``limit`` bytes of the email as received, decoded; None when its
    file is missing from the storage (lost, or purged by hand)."""
    try:
        with email.raw.open("rb") as handle:
            raw: bytes = handle.read(limit)
    except (FileNotFoundError, ValueError):
        return None
    return raw.decode("utf-8", errors="replace")


def mailbox_sender(address: str) -> MailSender | None:
    """The active mailbox of ``address`` as a reply sender (name, signature), or
    None (``core.mail_senders``; no actor: it names our own address)."""
    mailbox = Mailbox.objects.filter(
        address__iexact=address.strip(), is_active=True
    ).first()
    if mailbox is None:
        return None
    return MailSender(
        address=mailbox.address, name=mailbox.name, signature=mailbox.signature
    )
