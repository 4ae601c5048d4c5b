"""Consistency: what was granted for similar cases (same gesture type, same case
category, same customer tier, last 12 months), and whether a value is an outlier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from amiable.gestures.models import Gesture, GestureStatus

LOOKBACK = dt.timedelta(days=365)
# Outliers are flagged only with enough history to say so.
MIN_SAMPLES = 5
# The most recent values considered: the numbers stay cheap at any volume.
MAX_SAMPLES = 2000


@dataclass(frozen=True)
class Consistency:
    count: int
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    low_fence: Decimal | None  # below it, a value is an outlier
    high_fence: Decimal | None  # above it, too
    value: Decimal | None
    is_outlier: bool

    @property
    def has_history(self) -> bool:
        return self.count > 0


def _quantile(ordered: list[Decimal], fraction: Decimal) -> Decimal:
    """Linear interpolation between closest ranks (the "inclusive" method)."""
    position = (len(ordered) - 1) * fraction
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    weight = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * weight


def consistency_of(values: list[Decimal], value: Decimal | None) -> Consistency:
    """Median, range and Tukey's fences (1.5 x the interquartile range) of
    ``values``; ``value`` is an outlier outside the fences, given enough history."""
    ordered = sorted(values)
    if not ordered:
        return Consistency(0, None, None, None, None, None, value, False)
    q1 = _quantile(ordered, Decimal("0.25"))
    q3 = _quantile(ordered, Decimal("0.75"))
    spread = (q3 - q1) * Decimal("1.5")
    low, high = q1 - spread, q3 + spread
    is_outlier = (
        value is not None
        and len(ordered) >= MIN_SAMPLES
        and (value < low or value > high)
    )
    return Consistency(
        count=len(ordered),
        median=_quantile(ordered, Decimal("0.5")).quantize(Decimal("0.01")),
        minimum=ordered[0],
        maximum=ordered[-1],
        low_fence=low.quantize(Decimal("0.01")),
        high_fence=high.quantize(Decimal("0.01")),
        value=value,
        is_outlier=is_outlier,
    )


def gesture_consistency(
    *,
    gesture_type_id: int,
    category: str,
    customer_tier: str,
    value: Decimal | None,
    at: dt.datetime,
    exclude_id: int | None = None,
) -> Consistency:
    """The consistency of ``value`` with applied gestures of similar cases (one
    query). Gestures are comparable across teams: the numbers hold no names."""
    queryset = Gesture.objects.filter(
        gesture_type_id=gesture_type_id,
        category=category,
        customer_tier=customer_tier,
        status=GestureStatus.APPLIED,
        applied_at__gte=at - LOOKBACK,
        applied_at__lte=at,
    )
    if exclude_id is not None:
        queryset = queryset.exclude(pk=exclude_id)
    values = list(
        queryset.order_by("-applied_at").values_list("value", flat=True)[:MAX_SAMPLES]
    )
    return consistency_of(values, value)
