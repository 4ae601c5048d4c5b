"""Tasks used by the task tests; importable by path so every backend can run them."""

from __future__ import annotations

from django_tasks import task

from amiable.core.tasks import retrying_task

CALLS: dict[str, int] = {}


class CarrierDownError(Exception):
    """Stands for the outside world being unreachable."""


@task()
def add_task(a: int, b: int) -> int:
    return a + b


@retrying_task()
def flaky_task(*, key: str, failures: int) -> str:
    """Fails ``failures`` times for ``key``, then succeeds."""
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] <= failures:
        raise CarrierDownError(f"call {CALLS[key]} failed")
    return f"done after {CALLS[key]} calls"


@retrying_task()
def always_failing_task(*, key: str) -> str:
    CALLS[key] = CALLS.get(key, 0) + 1
    raise CarrierDownError("carrier unreachable")


COUNTED: list[int] = []


@task()
def count_task() -> int:
    """A periodic job of the schedule tests: counts its runs."""
    COUNTED.append(1)
    return len(COUNTED)
