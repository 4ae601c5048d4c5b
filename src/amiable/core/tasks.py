"""Retrying background tasks with exponential backoff.

``retrying_task`` is ``django_tasks.task`` plus a retry policy: when the task function
raises, the same task is enqueued again with ``run_after`` pushed back exponentially
(``TASK_BACKOFF_SECONDS * 2 ** (attempt - 1)``) until ``TASK_MAX_ATTEMPTS`` attempts
have been made. Each re-enqueue is a new task result, so the attempt number travels as
the ``task_attempt`` keyword argument.

What the task backend records for each attempt:
- an attempt that failed and was rescheduled raises ``TaskRetryScheduled`` (chained to
  the real error), so its result is FAILED with that class and the real traceback;
- the last attempt re-raises the real error: a FAILED result with any other class is a
  permanent failure. The admin lists those (see ``amiable.core.admin``).

An ``on_failure`` hook receives a ``TaskFailure`` after every failed attempt, so the
domain can write the failure where users see it (e.g. on an interaction).

Each retrying task's ``RetryPolicy`` is kept by module path (``retry_policy_for``):
the sweep of tasks abandoned by a dead worker (``amiable.jobs``) counts such a task
as one failed attempt through ``attempt_failed``, like a raised error.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar, cast

from django.conf import settings
from django.utils.module_loading import import_string
from django_tasks import task
from django_tasks.base import Task

from amiable.core.clock import now

P = ParamSpec("P")
T = TypeVar("T")

ATTEMPT_KWARG = "task_attempt"
MAX_BACKOFF_SECONDS = 6 * 60 * 60
logger = logging.getLogger(__name__)


class TaskRetryScheduled(Exception):  # noqa: N818 (an outcome, not a bug)
    """An attempt failed and another one has been enqueued."""


@dataclass(frozen=True)
class TaskFailure:
    """One failed attempt of a retrying task, as given to its ``on_failure`` hook."""

    task_name: str
    attempt: int
    max_attempts: int
    error: str
    will_retry: bool
    retry_at: dt.datetime | None
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


def backoff_delay(attempt: int, *, base_seconds: int | None = None) -> dt.timedelta:
    """Delay before attempt ``attempt + 1``: base, 2 x base, 4 x base… capped."""
    base = settings.TASK_BACKOFF_SECONDS if base_seconds is None else base_seconds
    seconds = min(base * 2 ** max(attempt - 1, 0), MAX_BACKOFF_SECONDS)
    return dt.timedelta(seconds=seconds)


def describe_error(exc: BaseException) -> str:
    """One readable line: the exception class and its message."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    name = type(exc).__name__
    return f"{name}: {message}"[:500] if message else name


def _reenqueue(
    the_task: Task[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    run_after: dt.datetime,
) -> None:
    backend = the_task.get_backend()
    scheduled = (
        the_task.using(run_after=run_after) if backend.supports_defer else the_task
    )
    scheduled.enqueue(*args, **kwargs)


@dataclass(frozen=True)
class RetryPolicy:
    """How a retrying task is retried; kept per task so a sweep can retry it too."""

    task: Task[..., Any]
    function_name: str
    on_failure: Callable[[TaskFailure], None] | None
    max_attempts: int | None
    backoff_seconds: int | None


_POLICIES: dict[str, RetryPolicy] = {}


def retry_policy_for(task_path: str) -> RetryPolicy | None:
    """The retry policy of the task stored under ``task_path`` (its module path),
    or None for a task that is not a ``retrying_task`` (or no longer exists)."""
    if task_path not in _POLICIES:
        try:  # importing the task's module registers its policy
            import_string(task_path)
        except ImportError:
            return None
    return _POLICIES.get(task_path)


def attempt_failed(
    policy: RetryPolicy,
    *,
    attempt: int,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: str,
) -> TaskFailure:
    """Record one failed attempt: log it, call the ``on_failure`` hook, and enqueue
    the next attempt with backoff unless it was the last. Returns the failure
    (``will_retry`` and ``retry_at`` say what was scheduled)."""
    limit = policy.max_attempts or settings.TASK_MAX_ATTEMPTS
    will_retry = attempt < limit
    retry_at = (
        now() + backoff_delay(attempt, base_seconds=policy.backoff_seconds)
        if will_retry
        else None
    )
    failure = TaskFailure(
        task_name=policy.function_name,
        attempt=attempt,
        max_attempts=limit,
        error=error,
        will_retry=will_retry,
        retry_at=retry_at,
        args=args,
        kwargs=dict(kwargs),
    )
    logger.warning(
        "Task %s attempt %s/%s failed: %s",
        failure.task_name,
        attempt,
        limit,
        failure.error,
    )
    if policy.on_failure is not None:
        try:
            policy.on_failure(failure)
        except Exception:
            # The hook must never stop the retry from being scheduled.
            logger.exception("on_failure hook of %s failed", policy.function_name)
    if retry_at is not None:
        _reenqueue(policy.task, args, {**kwargs, ATTEMPT_KWARG: attempt + 1}, retry_at)
    return failure


def retrying_task(
    *,
    on_failure: Callable[[TaskFailure], None] | None = None,
    max_attempts: int | None = None,
    backoff_seconds: int | None = None,
    **task_options: Any,
) -> Callable[[Callable[P, T]], Task[P, T]]:
    """Decorate a function as a task that is retried with exponential backoff.

    ``max_attempts`` and ``backoff_seconds`` default to the settings
    ``TASK_MAX_ATTEMPTS`` and ``TASK_BACKOFF_SECONDS``, read when the task runs.
    Other keyword arguments go to ``django_tasks.task``.
    """

    def decorate(func: Callable[P, T]) -> Task[P, T]:
        holder: dict[str, RetryPolicy] = {}

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> T:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                failure = attempt_failed(
                    holder["policy"],
                    attempt=attempt,
                    args=args,
                    kwargs=kwargs,
                    error=describe_error(exc),
                )
                if failure.retry_at is None:
                    raise
                raise TaskRetryScheduled(
                    f"attempt {attempt}/{failure.max_attempts} failed "
                    f"({failure.error}); retry at {failure.retry_at.isoformat()}"
                ) from exc

        the_task = cast(Task[P, T], task(**task_options)(run))
        policy = RetryPolicy(
            task=the_task,
            function_name=func.__name__,
            on_failure=on_failure,
            max_attempts=max_attempts,
            backoff_seconds=backoff_seconds,
        )
        holder["policy"] = policy
        _POLICIES[the_task.module_path] = policy
        return the_task

    return decorate
