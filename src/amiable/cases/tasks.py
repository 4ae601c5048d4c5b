"""Background tasks of cases: the SLA scan and closing resolved cases."""

from __future__ import annotations

from django_tasks import task

from amiable.cases.services import case_autoclose_due, sla_scan


@task()
def sla_scan_task() -> dict[str, int]:
    """Flag SLA clocks at risk and breached, notify, escalate (idempotent)."""
    result = sla_scan()
    return {"at_risk": result.at_risk, "breached": result.breached}


@task()
def case_autoclose_task() -> int:
    """Close cases resolved N days ago without a reply (idempotent)."""
    return case_autoclose_due()
