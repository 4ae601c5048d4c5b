"""Django's SQLite backend, with the write transactions of one process queued.

Every transaction starts with ``BEGIN IMMEDIATE`` (``transaction_mode``): it takes
the database's write lock at once, so none fails half-way on an upgrade. Waiting for
that lock is SQLite's busy handler, which sleeps and polls, up to 100 ms at a time:
under a steady stream of writers a waiter that has slept keeps losing to the ones
that just arrived, and after the busy timeout its request fails with « database is
locked » although every transaction is short. So the threads of one process (the
web server's threads, a worker's) wait their turn on a lock of the process instead,
woken as soon as the one before them commits; only one writer per process polls at
SQLite's door, which the few processes of a deployment (web server workers, task
worker) share without starving. The wait is bounded by the same timeout.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_GATES: dict[str, threading.Lock] = {}
_GATES_LOCK = threading.Lock()


def _gate(name: str) -> threading.Lock:
    with _GATES_LOCK:
        return _GATES.setdefault(name, threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._gate_held: threading.Lock | None = None

    def _gate_acquire(self) -> None:
        if self.is_in_memory_db() or self._gate_held is not None:
            return
        gate = _gate(str(self.settings_dict["NAME"]))
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        if not gate.acquire(timeout=timeout):
            raise OperationalError("database is locked")
        self._gate_held = gate

    def _gate_release(self) -> None:
        gate, self._gate_held = self._gate_held, None
        if gate is not None:
            gate.release()

    def _start_transaction_under_autocommit(self) -> None:
        self._gate_acquire()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._gate_release()
            raise

    def _commit(self) -> None:
        try:
            super()._commit()  # type: ignore[misc]
        finally:
            self._gate_release()

    def _rollback(self) -> None:
        try:
            super()._rollback()  # type: ignore[misc]
        finally:
            self._gate_release()

    def _close(self) -> None:
        try:
            super()._close()  # type: ignore[misc]
        finally:
            self._gate_release()
