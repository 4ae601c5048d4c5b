"""Writes of the jobs app: worker heartbeats and their sweep, import jobs."""

from amiable.jobs.services.imports import (
    import_job_create,
    import_job_fail,
    import_job_run,
)
from amiable.jobs.services.workers import (
    AbandonedTask,
    heartbeat_thread_start,
    tasks_abandoned_sweep,
    worker_beat,
    worker_forget,
    worker_id_new,
)

__all__ = [
    "AbandonedTask",
    "heartbeat_thread_start",
    "import_job_create",
    "import_job_fail",
    "import_job_run",
    "tasks_abandoned_sweep",
    "worker_beat",
    "worker_forget",
    "worker_id_new",
]
