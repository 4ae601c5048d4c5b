"""The realistic due time of a new promise, from the history of past ones.

For a promise type (and, when known, the carrier or the case category) the
suggestion is the time within which 90 % of past promises were actually fulfilled,
late ones included: the 90th percentile (nearest rank) of ``fulfilled_at -
made_at``. Under-promise, over-deliver: an agent promising sooner is asked to
confirm. Beside it, the agent's own kept-rate.

Both figures are read on every case page and move slowly: each process keeps
them for ``STATISTICS_TTL_SECONDS`` (forgotten when a promise is saved here)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Q

from amiable.accounts.models import User
from amiable.core.clock import now
from amiable.core.config_cache import KeyedCache
from amiable.promises.models import Promise, PromiseKind, PromiseState

PERCENTILE = 90
MIN_HISTORY = 5  # below this, the type's default duration is suggested
HISTORY_LIMIT = 2000  # the most recent fulfilled promises are enough
HISTORY_DAYS = 365
STATISTICS_TTL_SECONDS = 60.0
DURATIONS: KeyedCache[tuple[str, str, str, dt.date], list[dt.timedelta]] = KeyedCache(
    "promises.durations", models=(Promise,), ttl=STATISTICS_TTL_SECONDS
)
KEPT_RATES: KeyedCache[int, KeptRate] = KeyedCache(
    "promises.kept_rates", models=(Promise,), ttl=STATISTICS_TTL_SECONDS
)
DEFAULT_DURATIONS: dict[str, dt.timedelta] = {
    PromiseKind.DELIVERY: dt.timedelta(days=30),
    PromiseKind.REFUND: dt.timedelta(days=14),
    PromiseKind.CALLBACK: dt.timedelta(days=1),
    PromiseKind.REPLACEMENT: dt.timedelta(days=14),
    PromiseKind.REPAIR: dt.timedelta(days=30),
    PromiseKind.INFORMATION: dt.timedelta(days=2),
    PromiseKind.CUSTOM: dt.timedelta(days=7),
}


def nearest_rank_percentile(
    values: Sequence[dt.timedelta], percentile: int = PERCENTILE
) -> dt.timedelta:
    """The smallest value such that ``percentile`` % of ``values`` are at most it.

    Raises ValueError for no values."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(percentile / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class KeptRate:
    kept: int
    broken: int

    @property
    def total(self) -> int:
        return self.kept + self.broken

    @property
    def rate(self) -> float | None:
        return self.kept / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(100 * self.rate)


@dataclass(frozen=True)
class Suggestion:
    kind: str
    carrier: str
    category: str
    sample_size: int
    duration: dt.timedelta
    due_at: dt.datetime
    is_from_history: bool
    agent_rate: KeptRate | None

    @property
    def duration_hours(self) -> float:
        return self.duration.total_seconds() / 3600


def _durations(
    kind: str, *, carrier: str, category: str, since: dt.datetime
) -> list[dt.timedelta]:
    return DURATIONS.get(
        (kind, carrier, category, since.date()),
        lambda: _durations_read(kind, carrier=carrier, category=category, since=since),
    )


def _durations_read(
    kind: str, *, carrier: str, category: str, since: dt.datetime
) -> list[dt.timedelta]:
    queryset = Promise.objects.filter(
        kind=kind, fulfilled_at__isnull=False, made_at__gte=since
    )
    if carrier:
        queryset = queryset.filter(carrier=carrier)
    if category:
        queryset = queryset.filter(category=category)
    rows = queryset.order_by("-made_at").values_list("made_at", "fulfilled_at")[
        :HISTORY_LIMIT
    ]
    return [
        max(fulfilled - made, dt.timedelta(0))
        for made, fulfilled in rows
        if fulfilled is not None
    ]


def agent_kept_rate(*, agent: User) -> KeptRate:
    """How many of the agent's promises were kept and broken (one query, or none
    within a minute of the last)."""
    return KEPT_RATES.get(agent.pk, lambda: _kept_rate_read(agent))


def _kept_rate_read(agent: User) -> KeptRate:
    counts = Promise.objects.filter(made_by=agent).aggregate(
        kept=Count("id", filter=Q(state=PromiseState.KEPT)),
        broken=Count("id", filter=Q(state=PromiseState.BROKEN)),
    )
    return KeptRate(kept=counts["kept"], broken=counts["broken"])


def promise_suggest(
    *,
    kind: str,
    carrier: str = "",
    category: str = "",
    agent: User | None = None,
    at: dt.datetime | None = None,
) -> Suggestion:
    """The realistic due time of a ``kind`` promise made at ``at`` (now).

    Tries the narrowest history first (type and carrier, or type and category),
    then the type alone, then the type's default duration."""
    moment = at or now()
    since = moment - dt.timedelta(days=HISTORY_DAYS)
    attempts = []
    if carrier or category:
        attempts.append((carrier, category))
    attempts.append(("", ""))
    duration: dt.timedelta | None = None
    used = ("", "")
    sample = 0
    for attempt_carrier, attempt_category in attempts:
        values = _durations(
            kind, carrier=attempt_carrier, category=attempt_category, since=since
        )
        if len(values) >= MIN_HISTORY:
            duration = nearest_rank_percentile(values)
            used = (attempt_carrier, attempt_category)
            sample = len(values)
            break
    is_from_history = duration is not None
    if duration is None:
        duration = DEFAULT_DURATIONS.get(kind, DEFAULT_DURATIONS[PromiseKind.CUSTOM])
    return Suggestion(
        kind=kind,
        carrier=used[0],
        category=used[1],
        sample_size=sample,
        duration=duration,
        due_at=moment + duration,
        is_from_history=is_from_history,
        agent_rate=agent_kept_rate(agent=agent) if agent is not None else None,
    )
