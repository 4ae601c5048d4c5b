"""One transaction for a whole use case, with its append-only rows written in bulk.

A use case that calls several services (an e-mail that opens a case: the customer,
the case, its first message, the acknowledgement) would otherwise pay, per service,
a savepoint and its release, one INSERT per audit line and one per domain event.
Inside ``unit_of_work()``:

- services decorated with ``@service_atomic`` join the unit's transaction without a
  savepoint of their own: an exception anywhere rolls the whole unit back, which is
  what the entry point wants (it catches errors outside the unit, never inside);
- ``insert_later(row)`` keeps an append-only row (an audit line, a domain event)
  and the unit writes all of them with one ``bulk_create`` per model just before it
  commits, then runs their ``after`` callbacks (which may read the new ids);
- ``savepoint()`` is the one way to recover from an expected error inside the unit:
  a real savepoint that also forgets the rows kept since it began
  (``race_savepoint()`` takes it only where a concurrent writer can exist).

Outside a unit every function behaves as before: ``@service_atomic`` is
``transaction.atomic`` and ``insert_later`` returns False (the caller inserts now).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from django.db import models, transaction

from amiable.core.locking import write_lock_held

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class _Unit:
    retries_on_conflict: bool = False
    rows: list[models.Model] = field(default_factory=list)
    after: list[Callable[[], None]] = field(default_factory=list)


_CURRENT: ContextVar[_Unit | None] = ContextVar("amiable_unit_of_work", default=None)


def in_unit_of_work() -> bool:
    return _CURRENT.get() is not None


@contextmanager
def unit_of_work(
    *, retries_on_conflict: bool = False, savepoint: bool = True
) -> Iterator[None]:
    """Run the block in one transaction (joining an enclosing unit if any); write
    the kept rows in bulk at its end, before the commit.

    ``retries_on_conflict``: the caller runs the whole unit again when it raises
    IntegrityError (a unique key taken by a concurrent transaction after we read
    it free), so ``race_savepoint()`` takes no savepoint inside it.
    ``savepoint=False``: inside an enclosing transaction that any error rolls back
    whole (an idempotent API request), take no savepoint of its own."""
    if _CURRENT.get() is not None:
        yield
        return
    unit = _Unit(retries_on_conflict=retries_on_conflict)
    token = _CURRENT.set(unit)
    try:
        with transaction.atomic(savepoint=savepoint):
            yield
            _flush(unit)
    finally:
        _CURRENT.reset(token)


def _flush(unit: _Unit) -> None:
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for row in unit.rows:
        by_model.setdefault(type(row), []).append(row)
    for model, rows in by_model.items():
        model._default_manager.bulk_create(rows)
    for callback in unit.after:
        callback()


def insert_later(row: models.Model, *, after: Callable[[], None] | None = None) -> bool:
    """Keep ``row`` for the unit's bulk insert (``after`` runs once it has its id).
    False outside a unit: the caller must insert it itself."""
    unit = _CURRENT.get()
    if unit is None:
        return False
    unit.rows.append(row)
    if after is not None:
        unit.after.append(after)
    return True


@contextmanager
def savepoint() -> Iterator[None]:
    """A savepoint that, when rolled back, also drops the rows kept meanwhile."""
    unit = _CURRENT.get()
    marks = (len(unit.rows), len(unit.after)) if unit is not None else (0, 0)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        if unit is not None:
            del unit.rows[marks[0] :]
            del unit.after[marks[1] :]
        raise


@contextmanager
def race_savepoint() -> Iterator[None]:
    """``savepoint()`` around a write that a concurrent transaction can make fail
    after our read said it would pass (a unique key taken meanwhile). Not needed,
    so not taken, while the transaction holds SQLite's write lock: nobody else
    writes between our read and our write there; nor inside a unit of work that
    is run again on a conflict."""
    unit = _CURRENT.get()
    if write_lock_held() or (unit is not None and unit.retries_on_conflict):
        yield
        return
    with savepoint():
        yield


def service_atomic(function: Callable[P, R]) -> Callable[P, R]:
    """``transaction.atomic`` for a service, except inside a unit of work, whose
    transaction it joins without a savepoint."""
    atomic_function = transaction.atomic(function)

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        if _CURRENT.get() is not None:
            return function(*args, **kwargs)
        return atomic_function(*args, **kwargs)

    return wrapper
