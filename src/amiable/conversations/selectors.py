"""Scoped reads of interactions: timelines of a case and of a customer."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.accounts.permissions import sees_all_cases
from amiable.conversations.models import Attachment, Interaction
from amiable.core.errors import NotFoundError


def interaction_visible_queryset(*, actor: User) -> QuerySet[Interaction]:
    """Interactions outside cases are visible to all staff; those on a case follow
    the case's visibility."""
    queryset = Interaction.objects.all()
    if sees_all_cases(actor):
        return queryset
    scope = Q(case__isnull=True) | Q(case__team__isnull=True) | Q(case__assignee=actor)
    if actor.team_id is not None:
        scope |= Q(case__team_id=actor.team_id)
    return queryset.filter(scope)


def interaction_list(
    *,
    actor: User,
    case_id: int | None = None,
    customer_id: int | None = None,
    channel: str = "",
    direction: str = "",
    text: str = "",
) -> QuerySet[Interaction]:
    queryset = (
        interaction_visible_queryset(actor=actor)
        .select_related("author", "customer", "case")
        .prefetch_related("attachments")
    )
    if case_id is not None:
        queryset = queryset.filter(case_id=case_id)
    if customer_id is not None:
        queryset = queryset.filter(customer_id=customer_id)
    if channel:
        queryset = queryset.filter(channel=channel)
    if direction:
        queryset = queryset.filter(direction=direction)
    if text.strip():
        from amiable.conversations.search import interaction_search_filter

        queryset = interaction_search_filter(queryset, text)
    return queryset


def interaction_get(*, actor: User, interaction_id: int) -> Interaction:
    interaction = (
        interaction_visible_queryset(actor=actor)
        .select_related("author", "customer", "case")
        .prefetch_related("attachments")
        .filter(pk=interaction_id)
        .first()
    )
    if interaction is None:
        raise NotFoundError(_("No such interaction."))
    return interaction


def attachment_get(*, actor: User, attachment_id: int) -> Attachment:
    """One attachment of an interaction the actor may see.

    Raises NotFoundError, exactly as for an attachment that does not exist.
    """
    attachment = (
        Attachment.objects.filter(
            pk=attachment_id,
            interaction__in=interaction_visible_queryset(actor=actor),
        )
        .select_related("interaction")
        .first()
    )
    if attachment is None:
        raise NotFoundError(_("No such attachment."))
    return attachment


def interaction_get_by_external_id(
    *, channel: str, external_id: str
) -> Interaction | None:
    """The interaction already recorded under (channel, external id), unscoped: the
    caller decides what the actor may learn of it."""
    if not external_id.strip():
        return None
    return Interaction.objects.filter(
        channel=channel, external_id=external_id.strip()
    ).first()
