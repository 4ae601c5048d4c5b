"""Timing helpers: run a callable many times and summarise beside its floor."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def sample(action: Callable[[], Any], *, samples: int, warmup: int = 3) -> list[float]:
    """Milliseconds of ``samples`` calls after ``warmup`` unmeasured ones."""
    for _ in range(warmup):
        action()
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def describe(timings: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(timings, 0.5), 3),
        "p95_ms": round(percentile(timings, 0.95), 3),
        "mean_ms": round(statistics.fmean(timings), 3) if timings else 0.0,
        "samples": len(timings),
    }


def compare(ours: list[float], floor: list[float], **extra: Any) -> dict[str, Any]:
    """``ours`` and ``floor`` percentiles and the ratios ours/floor."""
    mine, base = describe(ours), describe(floor)
    return {
        "ours": mine,
        "floor": base,
        "ratio_p50": round(mine["p50_ms"] / base["p50_ms"], 2)
        if base["p50_ms"]
        else None,
        "ratio_p95": round(mine["p95_ms"] / base["p95_ms"], 2)
        if base["p95_ms"]
        else None,
        **extra,
    }
