"""Background tasks of the promises app."""

from __future__ import annotations

from amiable.core.tasks import retrying_task
from amiable.promises.services import promise_scan


@retrying_task()
def promise_scan_task() -> dict[str, int]:
    """Break overdue promises, flag those at risk, warn customers (idempotent)."""
    summary = promise_scan()
    return {
        "broken": summary.broken,
        "at_risk": summary.at_risk,
        "warned": summary.warned,
    }
