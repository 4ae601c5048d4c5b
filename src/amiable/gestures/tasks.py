"""Background work of the gestures app."""

from __future__ import annotations

from amiable.core.tasks import retrying_task
from amiable.gestures.services import approval_overdue_scan, gesture_deliver


@retrying_task()
def gesture_deliver_task(*, gesture_id: int) -> bool:
    """Send one applied gesture to the shop/ERP webhook (idempotent, retried)."""
    return gesture_deliver(gesture_id=gesture_id)


@retrying_task()
def approval_overdue_scan_task() -> int:
    """Tell approvers about overdue approval steps (once per step)."""
    return approval_overdue_scan()
