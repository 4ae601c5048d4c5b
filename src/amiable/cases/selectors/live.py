"""The cheap reads behind the live pages: has a case, or a page of the inbox,
changed since the agent's page was drawn? One indexed query each."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.cases.selectors.cases import case_visible_queryset
from amiable.cases.selectors.timeline import case_timeline_loaded
from amiable.conversations.models import (
    WITH_CUSTOMER,
    Channel,
    Direction,
    Interaction,
)
from amiable.notifications.selectors import notification_unread_urls

# The notification that is a case's unread mark (sent by services/unread.py).
CUSTOMER_REPLIED_KIND = "case.customer_replied"


@dataclass(frozen=True)
class CaseMark:
    """Where a case stands: its version (bumped by every change of the case) and
    its latest interaction (timeline entries other apps add without touching the
    case: a promise kept, a gesture)."""

    version: int
    last_interaction_id: int

    @property
    def token(self) -> str:
        return f"{self.version}.{self.last_interaction_id}"


def case_mark(*, actor: User, case_id: int) -> CaseMark | None:
    """The case's mark, None when the actor may not see it (one query: the case
    by primary key, the latest interaction by the case's index)."""
    latest = (
        Interaction.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .values("case_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    row = (
        case_visible_queryset(actor=actor)
        .filter(pk=case_id)
        .annotate(last_interaction=Coalesce(Subquery(latest), 0))
        .values_list("version", "last_interaction")
        .first()
    )
    if row is None:
        return None
    return CaseMark(version=row[0], last_interaction_id=row[1])


def case_page_mark(*, actor: User, case: Case) -> CaseMark | None:
    """The mark the case page is drawn at: ``case`` as the page read it and the
    latest entry of its timeline when the page has read it (no query), else
    ``case_mark``."""
    timeline = case_timeline_loaded(case)
    if timeline is None:
        return case_mark(actor=actor, case_id=case.pk)
    return CaseMark(
        version=case.version,
        last_interaction_id=max((row.pk for row in timeline), default=0),
    )


def case_last_interaction_id(*, case: Case) -> int:
    """The latest interaction on the case (0 when none): what the agent sees
    when the page is drawn."""
    return Interaction.objects.filter(case=case).aggregate(last=Max("id"))["last"] or 0


def case_replies_since(
    *, case: Case, after_id: int, actor: User
) -> QuerySet[Interaction]:
    """Replies to the customer by someone other than ``actor`` recorded after
    interaction ``after_id`` (notes, activity and forwards to a third party are
    not replies), oldest first, with their authors."""
    return (
        Interaction.objects.filter(
            case=case, pk__gt=after_id, direction=Direction.OUTBOUND
        )
        .exclude(channel__in=[Channel.NOTE, Channel.SYSTEM])
        .exclude(author=actor)
        .filter(WITH_CUSTOMER)  # not a forward to a carrier
        .select_related("author")
        .order_by("id")
    )


def inbox_page_fingerprint(rows: Iterable[tuple[int, int]]) -> str:
    """A short token of a page of the inbox: its cases, in order, and their
    versions (a new case, a reply, a status or an assignment changes it)."""
    text = ";".join(f"{pk}:{version}" for pk, version in rows)
    return hashlib.blake2s(text.encode(), digest_size=8).hexdigest()


def inbox_page_marks(
    queryset: QuerySet[Case], *, ordering: Sequence[str], limit: int
) -> list[tuple[int, int]]:
    """(id, version) of the page's cases: the inbox's own keyset query (indexed),
    reading two columns and joining nothing."""
    return list(
        queryset.select_related(None)
        .order_by(*ordering)
        .values_list("pk", "version")[:limit]
    )


def case_unread_ids(*, actor: User, case_ids: Iterable[int]) -> set[int]:
    """Which of the cases have a customer message the actor has not read yet (an
    unread « customer replied » notification of theirs; one query)."""
    urls = {reverse("cases:detail", args=[pk]): pk for pk in case_ids}
    if not urls:
        return set()
    unread = notification_unread_urls(
        actor=actor, kind=CUSTOMER_REPLIED_KIND, urls=urls
    )
    return {urls[url] for url in unread}
