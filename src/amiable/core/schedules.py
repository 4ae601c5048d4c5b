"""Periodic jobs: which task runs how often. A pure registry, filled at start-up.

Apps declare their periodic work in ``AppConfig.ready``::

    periodic_register(Periodic(
        name="feedback.scan",
        task="amiable.feedback.tasks.survey_scan_task",
        every=dt.timedelta(minutes=15),
    ))

The ``schedules`` app stores when each one last ran and enqueues it when due, once
per deployment however many workers run (see ``amiable.schedules.services``). The
task must take no arguments and be idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Periodic:
    name: str  # stable: the stored schedule row is keyed by it
    task: str  # import path of a django-tasks Task taking no arguments
    every: dt.timedelta


_PERIODIC: dict[str, Periodic] = {}


def periodic_register(job: Periodic) -> None:
    if job.every <= dt.timedelta(0):
        raise ValueError(f"{job.name}: the interval must be positive")
    _PERIODIC[job.name] = job


def periodic_jobs() -> list[Periodic]:
    return sorted(_PERIODIC.values(), key=lambda job: job.name)


def periodic_unregister(name: str) -> None:
    """Remove a job (tests that register their own)."""
    _PERIODIC.pop(name, None)
