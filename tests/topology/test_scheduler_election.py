"""One scheduler elected through the database: worker processes on separate hosts
all run the scheduler thread, and each periodic job is enqueued once per interval
(the compare-and-set UPDATE on ScheduleState; on PostgreSQL the second UPDATE waits
for the first one's row lock, then finds the row moved on and changes nothing)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from amiable.core.schedules import periodic_jobs
from amiable.schedules.models import ScheduleState
from tests.jobs.conftest import database_url

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
HOSTS = 4
SCAN = (
    "import sys, time, django; django.setup()\n"
    "from amiable.schedules.services import schedule_run_due\n"
    "start = float(sys.argv[1])\n"
    "time.sleep(max(0.0, start - time.time()))\n"
    "for _ in range(5):\n"
    "    schedule_run_due()\n"
    "    time.sleep(0.1)\n"
)


def test_several_hosts_scanning_at_once_enqueue_each_job_once(
    tmp_path: Path,
) -> None:
    env = {
        **os.environ,
        "AMIABLE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": database_url(),
        "AMIABLE_TASKS": "database",
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
    }
    start = time.time() + 6  # every process imported Django by then
    hosts = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and code)
            [sys.executable, "-c", SCAN, str(start)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(HOSTS)
    ]
    errors = [host.communicate(timeout=120)[1] for host in hosts]

    assert [host.returncode for host in hosts] == [0] * HOSTS, errors
    enqueued = Counter(DBTaskResult.objects.values_list("task_path", flat=True))
    assert enqueued == Counter({job.task: 1 for job in periodic_jobs()})
    assert ScheduleState.objects.count() == len(periodic_jobs())
