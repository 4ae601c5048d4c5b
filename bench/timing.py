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


def sample_pair(
    ours: Callable[[], Any],
    floor: Callable[[], Any],
    *,
    samples: int,
    warmup: int = 3,
) -> tuple[list[float], list[float]]:
    """Milliseconds of ``ours`` and ``floor`` called alternately, so a machine whose
    load changes during the run weighs on both alike."""
    for _ in range(warmup):
        ours()
        floor()
    mine: list[float] = []
    base: list[float] = []
    for _ in range(samples):
        for action, timings in ((ours, mine), (floor, base)):
            started = time.perf_counter()
            action()
            timings.append((time.perf_counter() - started) * 1000)
    return mine, base


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
