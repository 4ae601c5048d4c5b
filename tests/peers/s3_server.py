"""A real S3-compatible server on loopback (moto's server mode, from PyPI), for tests
of the files kept in a bucket: attachments, raw e-mail sources, import uploads.

``s3_server`` starts one ``moto_server`` process per test session on a free port;
``s3_storage`` gives a test a bucket of its own and points Django's default
storage at it through the same settings a deployment uses (``AMIABLE_STORAGE=s3``).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3  # type: ignore[import-untyped]
import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.core.storage_settings import s3_storage_from_environment

# moto accepts any key; these name no real account (and are not secrets).
ACCESS_KEY = "amiable-test"
SECRET_KEY = "amiable-test-secret"  # noqa: S105 (moto checks nothing)
REGION = "eu-west-3"


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    process: subprocess.Popen[bytes]

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def bucket_new(self) -> str:
        name = f"amiable-{secrets.token_hex(6)}"
        self.client().create_bucket(
            Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        return name

    def environment(self, bucket: str) -> dict[str, str]:
        """The environment a process of ours needs to keep its files in ``bucket``."""
        return {
            "AMIABLE_STORAGE": "s3",
            "AMIABLE_S3_BUCKET": bucket,
            "AMIABLE_S3_ENDPOINT_URL": self.endpoint_url,
            "AMIABLE_S3_REGION": REGION,
            "AMIABLE_S3_ACCESS_KEY_ID": ACCESS_KEY,
            "AMIABLE_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def s3_server_start() -> S3Server:
    """Start ``moto_server`` on a free loopback port and wait until it answers."""
    executable = shutil.which("moto_server", path=str(Path(sys.executable).parent))
    if executable is None:
        pytest.fail("moto_server is missing: install requirements/dev.lock")
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (a program of the dev requirements)
        [executable, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return S3Server(f"http://127.0.0.1:{port}", process)
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    pytest.fail(f"moto_server did not start on port {port}")


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    server = s3_server_start()
    yield server
    server.process.terminate()
    server.process.wait(10)


@pytest.fixture
def s3_storage(s3_server: S3Server, settings: SettingsWrapper) -> str:
    """A bucket of the test's own behind ``default_storage``; returns its name."""
    bucket = s3_server.bucket_new()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_from_environment(s3_server.environment(bucket)),
    }
    return bucket
