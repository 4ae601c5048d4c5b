"""Survey metrics and their 95 % intervals (pure functions; domain-rules §4.1, §6.2).

- NPS = 100 × (P − D) / N; SE = 100·√((p + d − (p − d)²)/N); CI = NPS ± 1.96·SE.
- CSAT top-2-box = 100 × #(4–5) / N, Wilson 95 % interval.
- CES 2.0 = mean of 1–7, t-interval mean ± t(0.975, N−1)·s/√N.
- "Was everything OK?" = 100 × #yes / N, Wilson 95 % interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054
MIN_ANSWERS = 30  # below this, show the value with a "not enough answers" warning

# Two-sided 95 % Student t quantiles t(0.975, df) for df = 1..30.
T975 = (
    12.706205,
    4.302653,
    3.182446,
    2.776445,
    2.570582,
    2.446912,
    2.364624,
    2.306004,
    2.262157,
    2.228139,
    2.200985,
    2.178813,
    2.160369,
    2.144787,
    2.131450,
    2.119905,
    2.109816,
    2.100922,
    2.093024,
    2.085963,
    2.079614,
    2.073873,
    2.068658,
    2.063899,
    2.059539,
    2.055529,
    2.051831,
    2.048407,
    2.045230,
    2.042272,
)


@dataclass(frozen=True)
class Estimate:
    """A metric value with its 95 % interval, over ``answers`` answers."""

    value: float | None
    low: float | None
    high: float | None
    answers: int

    @property
    def is_enough(self) -> bool:
        return self.answers >= MIN_ANSWERS


EMPTY = Estimate(None, None, None, 0)


def t_quantile_975(df: int) -> float:
    """t(0.975, df): a table to 30, then the Cornish–Fisher expansion (error < 1e-5)."""
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df <= len(T975):
        return T975[df - 1]
    z = Z95
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


def wilson(positive: int, total: int) -> Estimate:
    """A percentage with its Wilson score 95 % interval."""
    if total == 0:
        return EMPTY
    share = positive / total
    z2 = Z95 * Z95
    denominator = 1 + z2 / total
    centre = (share + z2 / (2 * total)) / denominator
    half = (
        Z95 * math.sqrt(share * (1 - share) / total + z2 / (4 * total * total))
    ) / denominator
    return Estimate(100 * share, 100 * (centre - half), 100 * (centre + half), total)


def nps(scores: Sequence[int]) -> Estimate:
    """Net Promoter Score (−100..100) with the Wald interval NPS ± 1.96·SE."""
    total = len(scores)
    if total == 0:
        return EMPTY
    promoters = sum(1 for score in scores if score >= 9)
    detractors = sum(1 for score in scores if score <= 6)
    p, d = promoters / total, detractors / total
    value = 100 * (p - d)
    se = 100 * math.sqrt(max(0.0, p + d - (p - d) ** 2) / total)
    # The Wald interval can pass the scale's ends on small samples: clip it there.
    low, high = max(-100.0, value - Z95 * se), min(100.0, value + Z95 * se)
    return Estimate(value, low, high, total)


def csat(scores: Sequence[int]) -> Estimate:
    """Top-2-box CSAT: share of 4 and 5 on a 1–5 scale, Wilson interval."""
    return wilson(sum(1 for score in scores if score >= 4), len(scores))


def check_yes(scores: Sequence[int]) -> Estimate:
    """Share of "yes" (1) to "was everything OK?", Wilson interval."""
    return wilson(sum(1 for score in scores if score == 1), len(scores))


def ces(scores: Sequence[int]) -> Estimate:
    """Mean effort score (1–7, higher is easier) with a t-interval."""
    total = len(scores)
    if total == 0:
        return EMPTY
    mean = sum(scores) / total
    if total == 1:
        return Estimate(mean, None, None, 1)
    variance = sum((score - mean) ** 2 for score in scores) / (total - 1)
    half = t_quantile_975(total - 1) * math.sqrt(variance) / math.sqrt(total)
    return Estimate(mean, mean - half, mean + half, total)


# Keyed by SurveyKind values (this module stays free of Django imports).
METRICS: dict[str, Callable[[Sequence[int]], Estimate]] = {
    "nps": nps,
    "csat": csat,
    "ces": ces,
    "check": check_yes,
}


def estimate(kind: str, scores: Sequence[int]) -> Estimate:
    """The headline metric of ``kind`` over ``scores``."""
    return METRICS[kind](scores)


def response_rate(answered: int, sent: int) -> float | None:
    """Answered surveys per sent survey, in percent (None when nothing was sent)."""
    if sent == 0:
        return None
    return 100 * answered / sent
