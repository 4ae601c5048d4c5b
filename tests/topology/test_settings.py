"""The settings of a deployment on several machines: read from the environment in
one place, and a bad value stops the start with one readable line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

S3 = {
    "AMIABLE_STORAGE": "s3",
    "AMIABLE_S3_BUCKET": "amiable-pieces-jointes",
    "AMIABLE_S3_ENDPOINT_URL": "https://s3.fr-par.scw.cloud",
    "AMIABLE_S3_REGION": "fr-par",
}


def _settings_with(
    env: dict[str, str], expression: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AMIABLE_S3_", "AMIABLE_STORAGE", "AMIABLE_CACHE"))
        and key not in {"REDIS_URL", "AMIABLE_TASKS"}
    }
    environment |= {**env, "DJANGO_SETTINGS_MODULE": "amiable.config.settings"}
    return subprocess.run(  # noqa: S603 - our interpreter, fixed code
        [
            sys.executable,
            "-c",
            "import json; from amiable.config import settings as s; "
            f"print(json.dumps({expression}, default=str))",
        ],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
        timeout=120,
    )


def test_files_stay_on_the_local_disk_unless_told_otherwise() -> None:
    result = _settings_with({}, "s.STORAGES['default']")

    assert json.loads(result.stdout) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_a_bucket_keeps_the_files_private_and_never_overwrites_one() -> None:
    result = _settings_with(S3, "s.STORAGES['default']")

    assert result.returncode == 0, result.stderr
    default = json.loads(result.stdout)
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    assert default["OPTIONS"] == {
        "bucket_name": "amiable-pieces-jointes",
        "location": "",
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
        "region_name": "fr-par",
        "endpoint_url": "https://s3.fr-par.scw.cloud",
        "access_key": None,
        "secret_key": None,
    }


def test_redis_runs_the_tasks_and_the_cache_with_the_lease_worker() -> None:
    result = _settings_with(
        {"AMIABLE_TASKS": "redis", "REDIS_URL": "redis://10.0.0.5:6379/3"},
        "[s.TASKS['default']['BACKEND'], s.RQ_QUEUES['default']['URL'], "
        "s.RQ['WORKER_CLASS'], s.CACHES['default']['LOCATION']]",
    )

    assert json.loads(result.stdout) == [
        "amiable.core.rq_backend.RetryingRQBackend",
        "redis://10.0.0.5:6379/3",
        "amiable.core.rq_backend.LeasedWorker",
        "redis://10.0.0.5:6379/3",
    ]


def test_the_cache_may_live_on_another_redis_than_the_tasks() -> None:
    result = _settings_with(
        {
            "AMIABLE_TASKS": "database",
            "AMIABLE_CACHE_URL": "rediss://cache.internal:6380/0",
        },
        "[s.TASKS['default']['BACKEND'], s.CACHES['default']['LOCATION']]",
    )

    assert json.loads(result.stdout) == [
        "django_tasks_db.DatabaseBackend",
        "rediss://cache.internal:6380/0",
    ]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"AMIABLE_STORAGE": "nfs"}, "AMIABLE_STORAGE must be filesystem or s3"),
        ({"AMIABLE_STORAGE": "s3"}, "AMIABLE_STORAGE=s3 needs AMIABLE_S3_BUCKET"),
        (
            {**S3, "AMIABLE_S3_BUCKET": "Pièces_Jointes"},
            "AMIABLE_STORAGE=s3 needs AMIABLE_S3_BUCKET",
        ),
        (
            {**S3, "AMIABLE_S3_ENDPOINT_URL": "s3.fr-par.scw.cloud"},
            "AMIABLE_S3_ENDPOINT_URL must be an http(s) URL",
        ),
        ({"AMIABLE_TASKS": "redis"}, "AMIABLE_TASKS=redis needs REDIS_URL"),
        ({"REDIS_URL": "127.0.0.1:6379"}, "REDIS_URL must be a redis://"),
        ({"AMIABLE_CACHE_URL": "memcached://x"}, "AMIABLE_CACHE_URL must be"),
        (
            {
                "AMIABLE_TASKS": "redis",
                "REDIS_URL": "redis://127.0.0.1:6379/1",
                "AMIABLE_TASK_TIMEOUT_SECONDS": "0",
            },
            "AMIABLE_TASK_TIMEOUT_SECONDS must be at least 1",
        ),
    ],
)
def test_a_bad_value_stops_the_start(env: dict[str, str], message: str) -> None:
    result = _settings_with(env, "1")

    assert result.returncode == 1
    assert f"ImproperlyConfigured: {message}" in result.stderr
