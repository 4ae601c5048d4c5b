"""Fixtures of the topology tests: a Redis database of their own."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
import redis

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def redis_test_url(offset: int) -> str:
    """A Redis database for one test module: AMIABLE_TEST_REDIS_DB (11 unless set,
    tests/tasks uses it) plus ``offset``, so checkouts running at once can be kept
    apart by setting that variable."""
    number = (int(os.environ.get("AMIABLE_TEST_REDIS_DB", "11")) + offset) % 16
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{number}"


def _reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


def redis_database(offset: int) -> Iterator[str]:
    """Empty the database before and after; skip (fail under CI) without Redis."""
    if not _reachable():
        message = f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI=true: Redis must be tested")
        pytest.skip(message)
    url = redis_test_url(offset)
    client = redis.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


@pytest.fixture
def rq_redis_url() -> Iterator[str]:
    yield from redis_database(1)
