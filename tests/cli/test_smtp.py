"""``amiable smtp`` for real: a child process receives a message from smtplib and
stores it; bad arguments are one line and exit status 1; ``amiable run`` starts the
endpoint only when it is configured."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from amiable import serving
from amiable.cli import main
from tests.inbound.conftest import build_email


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "AMIABLE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'smtp.sqlite3'}",
        "AMIABLE_TASKS": "database",
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
    }


def _wait_port(port: int, child: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert child.poll() is None, child.communicate()[0]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("amiable smtp did not listen in time")


def test_amiable_smtp_receives_and_stores_then_stops_on_sigterm(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path)
    subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-m", "amiable.cli", "migrate", "--verbosity=0"],
        env=env,
        check=True,
    )
    port = _free_port()
    child = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "amiable.cli", "smtp", f"--listen=127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_port(port, child)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail(
                "elodie.martin@exemple.fr",
                ["support@amiable.localhost"],
                build_email(message_id="<cli-smtp@exemple.fr>"),
            )
    finally:
        child.send_signal(signal.SIGTERM)
        output, _ = child.communicate(timeout=20)

    assert child.returncode == 0
    assert f"SMTP endpoint listening on 127.0.0.1:{port}" in output
    with sqlite3.connect(tmp_path / "smtp.sqlite3") as database:
        rows = database.execute(
            "SELECT status, message_id FROM inbound_inboundemail"
        ).fetchall()
    assert rows == [("opened", "cli-smtp@exemple.fr")]


def test_a_bad_listen_address_is_one_line_and_status_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(["smtp", "--listen", "nowhere"])

    assert status == 1
    assert capsys.readouterr().err == (
        "amiable: error: not a host:port address: 'nowhere'\n"
    )


@pytest.mark.parametrize(("listen", "started"), [("", False), ("127.0.0.1:2525", True)])
def test_amiable_run_starts_the_smtp_endpoint_only_when_configured(
    settings: Settings, listen: str, started: bool
) -> None:
    settings.AMIABLE_SMTP_LISTEN = listen

    commands = serving._children_commands(
        host="127.0.0.1", port=8000, workers=1, threads=1
    )

    assert ("SMTP endpoint" in commands) is started
