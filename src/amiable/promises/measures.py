"""Promise measures for the dashboards: kept-rate per type, team, agent and
carrier (``#kept / (#kept + #broken)``, domain rules §6.2), and the expectation
gap — when the promise was actually fulfilled minus when it was first promised."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.core.errors import PermissionDeniedError, ValidationError
from amiable.promises.models import Promise, PromiseKind, PromiseState
from amiable.promises.permissions import is_supervisor_or_above
from amiable.promises.selectors import promise_visible_queryset
from amiable.promises.suggestions import nearest_rank_percentile

GAP_LIMIT = 50_000
# Upper bounds (days) of the gap histogram's bins; the last bin is open.
GAP_BINS: tuple[float, ...] = (-7, -3, -1, 0, 1, 3, 7, 14, 30)


class Dimension(StrEnum):
    KIND = "kind"
    TEAM = "team"
    AGENT = "agent"
    CARRIER = "carrier"


DIMENSION_FIELDS = {
    Dimension.KIND: ("kind", None),
    Dimension.TEAM: ("team_id", "team__name"),
    Dimension.AGENT: ("made_by_id", "made_by__username"),
    Dimension.CARRIER: ("carrier", None),
}


@dataclass(frozen=True)
class KeptRateRow:
    key: str
    label: str
    kept: int
    broken: int
    rate: float | None


@dataclass(frozen=True)
class GapBin:
    upper_days: float | None  # None: the open last bin
    count: int


@dataclass(frozen=True)
class GapDistribution:
    count: int
    mean_days: float | None
    median_days: float | None
    p90_days: float | None
    on_time: int
    late: int
    bins: list[GapBin]


def _scoped(
    actor: User, since: dt.datetime | None, until: dt.datetime | None
) -> QuerySet[Promise]:
    if not is_supervisor_or_above(actor):
        raise PermissionDeniedError(_("Promise measures are for supervisors."))
    if since is not None and until is not None and since > until:
        raise ValidationError(
            _("The period ends before it starts."),
            fields={"until": [_("After the start.")]},
        )
    queryset = promise_visible_queryset(actor=actor)
    if since is not None:
        queryset = queryset.filter(state_changed_at__gte=since)
    if until is not None:
        queryset = queryset.filter(state_changed_at__lt=until)
    return queryset


def kept_rates(
    *,
    actor: User,
    by: Dimension,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> list[KeptRateRow]:
    """Kept and broken promises per value of ``by``, closed in the period (one
    query). Raises PermissionDeniedError below supervisor."""
    key_field, label_field = DIMENSION_FIELDS[by]
    queryset = _scoped(actor, since, until).filter(
        state__in=(PromiseState.KEPT, PromiseState.BROKEN)
    )
    fields = [key_field] + ([label_field] if label_field else [])
    rows = (
        queryset.order_by()
        .values(*fields)
        .annotate(
            kept=Count("id", filter=Q(state=PromiseState.KEPT)),
            broken=Count("id", filter=Q(state=PromiseState.BROKEN)),
        )
    )
    kind_labels = dict(PromiseKind.choices)
    result = []
    for row in rows:
        key = row[key_field]
        if by == Dimension.KIND:
            label = str(kind_labels.get(key, key))
        elif label_field:
            label = row[label_field] or _("(none)")
        else:
            label = key or _("(none)")
        total = row["kept"] + row["broken"]
        result.append(
            KeptRateRow(
                key="" if key is None else str(key),
                label=str(label),
                kept=row["kept"],
                broken=row["broken"],
                rate=row["kept"] / total if total else None,
            )
        )
    return sorted(result, key=lambda row: (-(row.kept + row.broken), row.label))


def expectation_gap(
    *,
    actor: User,
    kind: str = "",
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> GapDistribution:
    """The distribution, in days, of ``fulfilled_at - original_due_at`` over
    fulfilled promises (negative: early). Raises PermissionDeniedError."""
    queryset = _scoped(actor, since, until).filter(fulfilled_at__isnull=False)
    if kind:
        if kind not in PromiseKind.values:
            raise ValidationError(
                _("Unknown promise type."), fields={"kind": [_("Unknown.")]}
            )
        queryset = queryset.filter(kind=kind)
    gaps = [
        (fulfilled - due).total_seconds() / 86400
        for fulfilled, due in queryset.order_by()
        .annotate(promised=F("original_due_at"))
        .values_list("fulfilled_at", "promised")[:GAP_LIMIT]
    ]
    counts = [0] * (len(GAP_BINS) + 1)
    for gap in gaps:
        index = next(
            (i for i, bound in enumerate(GAP_BINS) if gap <= bound), len(GAP_BINS)
        )
        counts[index] += 1
    bins = [GapBin(bound, counts[i]) for i, bound in enumerate(GAP_BINS)]
    bins.append(GapBin(None, counts[-1]))
    return GapDistribution(
        count=len(gaps),
        mean_days=round(statistics.fmean(gaps), 3) if gaps else None,
        median_days=round(statistics.median(gaps), 3) if gaps else None,
        p90_days=(
            round(
                nearest_rank_percentile([dt.timedelta(days=g) for g in gaps])
                / dt.timedelta(days=1),
                3,
            )
            if gaps
            else None
        ),
        on_time=sum(1 for gap in gaps if gap <= 0),
        late=sum(1 for gap in gaps if gap > 0),
        bins=bins,
    )
