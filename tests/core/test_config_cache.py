"""The per-process caches of configuration and slow-moving figures."""

from __future__ import annotations

from functools import partial

import pytest

from amiable.core.config_cache import KeyedCache
from amiable.promises.models import PromiseKind, PromiseState
from amiable.promises.suggestions import agent_kept_rate
from tests.factories import CaseFactory, UserFactory
from tests.factories.promises import PromiseFactory

pytestmark = pytest.mark.django_db


def test_a_keyed_value_is_loaded_once_per_key_until_forgotten() -> None:
    loads: list[str] = []

    def load(key: str) -> str:
        loads.append(key)
        return key.upper()

    cache: KeyedCache[str, str] = KeyedCache("test.keys", models=(), max_keys=2)
    first = [cache.get(key, partial(load, key)) for key in ("a", "b", "a")]
    cache.get("c", lambda: load("c"))  # full: every key is forgotten, c kept
    after_full = cache.get("a", lambda: load("a"))
    cache.forget()
    cache.get("a", lambda: load("a"))

    assert first == ["A", "B", "A"]
    assert after_full == "A"
    assert loads == ["a", "b", "c", "a", "a"]


def test_an_expired_value_is_loaded_again() -> None:
    loads: list[int] = []

    def load() -> int:
        loads.append(1)
        return len(loads)

    cache: KeyedCache[int, int] = KeyedCache("test.ttl", models=(), ttl=0.0)

    values = [cache.get(1, load) for _ in range(3)]

    assert values == [1, 2, 3]


def test_the_kept_rate_is_read_again_once_a_promise_of_the_process_changes() -> None:
    agent = UserFactory.create()
    case = CaseFactory.create()
    before = agent_kept_rate(agent=agent)
    promise = PromiseFactory.create(
        case=case, customer=case.customer, made_by=agent, kind=PromiseKind.CALLBACK
    )
    promise.state = PromiseState.KEPT
    promise.save()

    after = agent_kept_rate(agent=agent)

    assert (before.kept, after.kept) == (0, 1)
