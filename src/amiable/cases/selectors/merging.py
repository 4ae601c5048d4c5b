"""Scoped reads of merges and splits: one to undo, where a case stands, and the
cases one may merge a case into."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.cases.models import OPEN_STATUSES, Case, CaseMerge, CaseMergeSource
from amiable.cases.selectors.cases import case_visible_queryset
from amiable.core.clock import now
from amiable.core.errors import NotFoundError

MERGE_CANDIDATES = 30
STATE_CACHE = "_merge_state"
MERGE_STATE_LIMIT = 20  # the latest merges and splits shown on a case


def case_merge_get(*, actor: User, merge_id: int) -> CaseMerge:
    """A merge or split whose resulting case the actor sees. Raises NotFoundError."""
    merge = (
        CaseMerge.objects.select_related("target", "origin", "performed_by")
        .filter(pk=merge_id, target__in=case_visible_queryset(actor=actor))
        .first()
    )
    if merge is None:
        raise NotFoundError(_("No such merge."))
    return merge


@dataclass(frozen=True)
class CaseMergeState:
    """Where a case stands: merged into another (and by which merge), and the
    merges and splits touching it that can still be undone."""

    merged_into: Case | None = None
    merged_by: CaseMerge | None = None
    undoable: list[CaseMerge] = field(default_factory=list)


def case_merge_state(*, actor: User, case: Case) -> CaseMergeState:
    """One query when no merge touches the case (whether any does: most cases
    were never merged); four otherwise (whether any, the merges with their target and
    origin, their merged-case rows, those cases), however many merges there are.
    Kept on the ``case`` instance, like a prefetch: the page and its panels read
    it once."""
    cached = getattr(case, STATE_CACHE, None)
    if isinstance(cached, CaseMergeState):  # the page and its panel read it once
        return cached
    since = now() - dt.timedelta(hours=settings.CASE_MERGE_UNDO_HOURS)
    touching = CaseMerge.objects.filter(_touching(case)).values("pk")
    live = CaseMerge.objects.filter(undone_at__isnull=True, pk__in=touching)
    merges = (
        list(
            live.select_related("target", "origin")
            .prefetch_related("sources__case")
            .order_by("-performed_at", "-id")[:MERGE_STATE_LIMIT]
        )
        if live.exists()
        else []
    )
    merged_by = next(
        (
            merge
            for merge in merges
            if any(
                row.case_id == case.pk and row.is_active for row in merge.sources.all()
            )
        ),
        None,
    )
    state = CaseMergeState(
        merged_into=merged_by.target if merged_by is not None else None,
        merged_by=merged_by,
        undoable=[merge for merge in merges if merge.performed_at >= since],
    )
    setattr(case, STATE_CACHE, state)
    return state


def _touching(case: Case) -> Q:
    return (
        Q(target=case) | Q(origin=case) | Q(sources__case=case, sources__is_active=True)
    )


def case_merged_into(case: Case) -> Case | None:
    """The case ``case`` was merged into (the merge not undone), if any."""
    source = (
        CaseMergeSource.objects.filter(case=case, is_active=True)
        .select_related("merge__target")
        .first()
    )
    return source.merge.target if source is not None else None


def case_merge_candidates(*, actor: User, case: Case) -> list[Case]:
    """The customer's other cases the actor sees and may merge ``case`` into:
    not merged themselves, open ones first, newest first; what the picker shows
    of each (reference, subject, status), not their ~40 columns."""
    merged = CaseMergeSource.objects.filter(is_active=True).values("case_id")
    candidates = (
        case_visible_queryset(actor=actor)
        .filter(customer_id=case.customer_id)
        .exclude(pk=case.pk)
        .exclude(pk__in=merged)
        .only("reference", "subject", "status", "customer_id", "opened_at")
        .order_by("-opened_at", "-id")[:MERGE_CANDIDATES]
    )
    rows = list(candidates)
    return sorted(rows, key=lambda row: row.status not in OPEN_STATUSES)
