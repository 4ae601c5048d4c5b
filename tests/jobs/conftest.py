"""Fixtures of the jobs tests: real worker processes on the test database."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connection
from pytest_django.fixtures import Settings

ROOT = Path(__file__).resolve().parents[2]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def database_url() -> str:
    """The URL of the test database, for a child process to open it too."""
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict["USER"] or "postgres"
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture
def worker_env(
    settings: Settings, transactional_db: None, tmp_path: Path
) -> dict[str, str]:
    """Tasks in the database, committed for real, and the environment of a worker
    process on the same database with a 1 s heartbeat and a 3 s lease."""
    settings.TASKS = DATABASE_TASKS
    settings.TASK_BACKOFF_SECONDS = 0
    return {
        **os.environ,
        "AMIABLE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database_url(),
        "AMIABLE_TASKS": "database",
        "AMIABLE_CRASH_DIR": str(tmp_path),
        "AMIABLE_WORKER_HEARTBEAT_SECONDS": "1",
        "AMIABLE_WORKER_LEASE_SECONDS": "3",
        "AMIABLE_TASK_BACKOFF_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
    }


@pytest.fixture
def start_worker(
    worker_env: dict[str, str],
) -> Iterator[Callable[[], subprocess.Popen[str]]]:
    """Start ``python -m tests.jobs.crash_worker`` processes; kill leftovers."""
    started: list[subprocess.Popen[str]] = []

    def start() -> subprocess.Popen[str]:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-m", "tests.jobs.crash_worker", "--no-scheduler"],
            cwd=ROOT,
            env=worker_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
