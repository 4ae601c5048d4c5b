"""Per-process copies of small configuration tables read on every write path.

Routing rules and SLA policies are read each time a case opens (an e-mail, an API
call), change a few times a year, and hold a handful of rows. A ``ConfigCache``
keeps the rows in the process for ``ttl`` seconds. It forgets them at once when a
row of one of its models is saved or deleted in this process (signals are for
caches, see STYLE.md) and again when that transaction commits (rows read in
between were read inside it); another process sees the change within ``ttl``
seconds. The rows are shared: callers read them, never change them.

``KeyedCache`` does the same per key, for figures derived from many rows that
move slowly (a promise kind's fulfilment durations, an agent's kept-rate).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import models, transaction
from django.db.models.signals import post_delete, post_save

K = TypeVar("K")
T = TypeVar("T")
DEFAULT_TTL_SECONDS = 30.0
_ALL: list[ConfigCache[Any] | KeyedCache[Any, Any]] = []


def _forget_on_change(
    changed: Callable[..., None], uid: str, watched: tuple[type[models.Model], ...]
) -> None:
    """Call ``changed`` when a row of one of ``watched`` is saved or deleted."""
    for model in watched:
        key = f"{uid}:{model._meta.label_lower}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=key)
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"{key}:delete"
        )


class ConfigCache(Generic[T]):
    def __init__(
        self,
        name: str,
        load: Callable[[], T],
        *,
        models: tuple[type[models.Model], ...],
        ttl: float = DEFAULT_TTL_SECONDS,
    ) -> None:
        self.name = name
        self._load = load
        self._ttl = ttl
        self._lock = threading.Lock()
        self._value: tuple[float, T] | None = None
        _forget_on_change(self._changed, f"config-cache:{name}", models)
        _ALL.append(self)

    def get(self) -> T:
        """The rows, read again when older than ``ttl`` seconds or forgotten."""
        cached = self._value
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        value = self._load()
        with self._lock:
            self._value = (time.monotonic(), value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._value = None

    def _changed(self, **_kwargs: Any) -> None:
        self.forget()
        transaction.on_commit(self.forget)


class KeyedCache(Generic[K, T]):
    """A ``ConfigCache`` per key, for small figures derived from many rows (the
    durations promises of a kind took, an agent's kept rate): at most
    ``max_keys`` keys, forgotten all at once when full or when a row of one of
    ``models`` changes in this process."""

    def __init__(
        self,
        name: str,
        *,
        models: tuple[type[models.Model], ...],
        ttl: float = DEFAULT_TTL_SECONDS,
        max_keys: int = 1024,
    ) -> None:
        self.name = name
        self._ttl = ttl
        self._max_keys = max_keys
        self._lock = threading.Lock()
        self._values: dict[K, tuple[float, T]] = {}
        _forget_on_change(self._changed, f"keyed-cache:{name}", models)
        _ALL.append(self)

    def get(self, key: K, load: Callable[[], T]) -> T:
        """The value of ``key``, loaded again when older than ``ttl`` seconds."""
        cached = self._values.get(key)
        if cached is not None and time.monotonic() - cached[0] < self._ttl:
            return cached[1]
        value = load()
        with self._lock:
            if len(self._values) >= self._max_keys:
                self._values.clear()
            self._values[key] = (time.monotonic(), value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._values.clear()

    def _changed(self, **_kwargs: Any) -> None:
        self.forget()
        transaction.on_commit(self.forget)


def config_caches_forget() -> None:
    """Forget every cached configuration (tests, after rolling data back)."""
    for cache in _ALL:
        cache.forget()
