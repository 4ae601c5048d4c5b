"""Fixtures of the task tests: the database backend, and signal handlers restored."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings as SettingsWrapper

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings: SettingsWrapper, transactional_db: None) -> None:
    """Switch the task backend to the database one (its handler cache follows).

    The worker closes connections that are inside a transaction, as a test one
    would be, so these tests commit for real (transactional_db).
    """
    settings.TASKS = DATABASE_TASKS
    settings.TASK_BACKOFF_SECONDS = 0
    settings.TASK_MAX_ATTEMPTS = 3


@pytest.fixture
def run_db_worker() -> Iterator[Any]:
    """Run ``db_worker --batch`` in this process, restoring the signal handlers it
    installs."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def run() -> None:
        call_command(
            "db_worker", batch=True, startup_delay=False, reload=False, verbosity=0
        )

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)
