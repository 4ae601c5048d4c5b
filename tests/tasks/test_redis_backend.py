"""The Redis backend (django-tasks-rq) against the real Redis on 127.0.0.1:6379.

Settings read AMIABLE_TASKS at import, so each step runs in a subprocess with
AMIABLE_TASKS=redis and a Redis database of its own, emptied afterwards. Skipped when
Redis is unreachable, except under CI=true where that is a failure.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Dedicated to this test and flushed after it; AMIABLE_TEST_REDIS_DB gives each
# checkout running the suite at once a database of its own.
REDIS_DB = int(os.environ.get("AMIABLE_TEST_REDIS_DB", "11"))
ROOT = Path(__file__).resolve().parents[2]
ENQUEUE = (
    "import django; django.setup()\n"
    "from tests.tasks.sample_tasks import add_task\n"
    "print(add_task.enqueue(2, 3).id)\n"
)
RESULT = (
    "import sys, django; django.setup()\n"
    "from tests.tasks.sample_tasks import add_task\n"
    "result = add_task.get_result(sys.argv[1])\n"
    "print(result.status, result.return_value)\n"
)
FLUSH = "import os, redis\nredis.Redis.from_url(os.environ['REDIS_URL']).flushdb()\n"


def _redis_reachable() -> bool:
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    if not _redis_reachable():
        message = f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}, and CI=true: the Redis backend must be tested")
        pytest.skip(message)
    env = {
        **os.environ,
        "AMIABLE_TASKS": "redis",
        "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{REDIS_DB}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'redis-test.sqlite3'}",
        "AMIABLE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
    }
    _python(["-c", FLUSH], env)
    yield env
    _python(["-c", FLUSH], env)


def _python(args: list[str], env: dict[str, str]) -> str:
    completed = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout.strip()


@pytest.mark.redis
def test_redis_worker_runs_an_enqueued_task(redis_env: dict[str, str]) -> None:
    result_id = _python(["-c", ENQUEUE], redis_env)

    _python(["-m", "amiable.cli", "worker", "--batch"], redis_env)

    assert _python(["-c", RESULT, result_id], redis_env) == "SUCCESSFUL 5"
