"""The inbox's named views (« my unsolved », unassigned, my team, at risk,
breached, all), their counts, and the preview of each listed case's last message."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils.translation import pgettext_lazy
from django_stubs_ext import StrOrPromise

from amiable.accounts.models import User
from amiable.cases.models import OPEN_STATUSES, Case, SlaState
from amiable.cases.selectors.cases import CaseFilters, case_list
from amiable.conversations.models import Channel, Interaction

UNSOLVED: tuple[str, ...] = tuple(str(status) for status in OPEN_STATUSES)
DEFAULT_VIEW = "mine"
PREVIEW_CHARS = 280


@dataclass(frozen=True)
class InboxView:
    name: str
    label: StrOrPromise


INBOX_VIEWS: tuple[InboxView, ...] = (
    InboxView("mine", pgettext_lazy("inbox view", "My unsolved cases")),
    InboxView("unassigned", pgettext_lazy("inbox view", "Unassigned")),
    InboxView("team", pgettext_lazy("inbox view", "My team")),
    InboxView("at_risk", pgettext_lazy("inbox view", "At risk")),
    InboxView("breached", pgettext_lazy("inbox view", "Breached")),
    InboxView("all", pgettext_lazy("inbox view", "All cases")),
)
VIEW_NAMES = tuple(view.name for view in INBOX_VIEWS)


def inbox_views_for(*, actor: User) -> list[InboxView]:
    """The views the actor's inbox offers (« my team » only to a team member)."""
    return [
        view for view in INBOX_VIEWS if view.name != "team" or actor.team_id is not None
    ]


def inbox_view_filters(*, actor: User, view: str) -> CaseFilters:
    """The filters a named view stands for; every view but « all » shows the
    unsolved cases only (new, open, waiting). An unknown name is « all »."""
    if view == "mine":
        return CaseFilters(statuses=UNSOLVED, assignee="me")
    if view == "unassigned":
        return CaseFilters(statuses=UNSOLVED, assignee="none")
    if view == "team":
        return CaseFilters(statuses=UNSOLVED, team_id=actor.team_id)
    if view == "at_risk":
        return CaseFilters(statuses=UNSOLVED, sla_states=(SlaState.AT_RISK.value,))
    if view == "breached":
        return CaseFilters(statuses=UNSOLVED, sla_states=(SlaState.BREACHED.value,))
    return CaseFilters()


def inbox_view_matching(*, actor: User, filters: CaseFilters) -> str:
    """The name of the view whose filters these are (a search within it still
    counts as the view), or "" for a custom filter."""
    wanted = _comparable(filters)
    for view in inbox_views_for(actor=actor):
        if _comparable(inbox_view_filters(actor=actor, view=view.name)) == wanted:
            return view.name
    return ""


def _comparable(filters: CaseFilters) -> tuple[object, ...]:
    return (
        frozenset(filters.statuses),
        frozenset(filters.kinds),
        frozenset(filters.priorities),
        filters.team_id,
        filters.assignee,
        filters.customer_id,
        frozenset(filters.sla_states),
        frozenset(filters.escalation_levels),
        filters.tag,
        filters.field_key,
        filters.field_value,
    )


def inbox_view_counts(*, actor: User) -> dict[str, int]:
    """How many visible cases each of the actor's views holds: one indexed count
    per view (the assignee, team and SLA-state indexes), whatever the data size."""
    return {
        view.name: case_list(
            actor=actor, filters=inbox_view_filters(actor=actor, view=view.name)
        )
        .order_by()
        .count()
        for view in inbox_views_for(actor=actor)
    }


def case_last_messages(*, cases: Iterable[Case]) -> dict[int, str]:
    """The start of each case's last message (not activity lines), in one query
    for the whole page; cases without a message are absent."""
    ids = [case.pk for case in cases]
    if not ids:
        return {}
    last = (
        Interaction.objects.filter(case_id=OuterRef("pk"))
        .exclude(channel=Channel.SYSTEM)
        .order_by("-occurred_at", "-id")
        .annotate(preview=Substr("body_text", 1, PREVIEW_CHARS))
        .values("preview")[:1]
    )
    rows = (
        Case.objects.filter(pk__in=ids)
        .order_by()
        .annotate(last_message=Subquery(last))
        .values_list("pk", "last_message")
    )
    return {pk: " ".join(text.split()) for pk, text in rows if text}
