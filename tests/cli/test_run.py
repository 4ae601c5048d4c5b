"""``amiable run`` for real: gunicorn and the worker in child processes."""

from __future__ import annotations

import gettext
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import deque
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from amiable import serving

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 120  # migrating a new SQLite file is slow on a busy machine


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(
    tmp_path: Path, port: int, options: tuple[str, ...] = ("--no-demo",)
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "AMIABLE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "AMIABLE_TASKS": "database",
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
    }
    command = [sys.executable, "-m", "amiable.cli", "run", f"--port={port}"]
    return subprocess.Popen(  # noqa: S603 (our own interpreter and code)
        [*command, *options, "--workers=1", "--threads=2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + START_TIMEOUT
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if line.startswith("Press Ctrl-C"):
            return "".join(seen)
    process.kill()
    pytest.fail("amiable run did not start: " + "".join(seen))


def _children(pid: int) -> dict[int, str]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_text().replace("\0", " ")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == pid:
            found[int(entry.name)] = cmdline
    return found


def test_run_serves_the_login_page_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    process = _start(tmp_path, port)
    banner = _wait_for_banner(process)
    children = _children(process.pid)

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/") as response:  # noqa: S310
        status = response.status
    process.send_signal(signal.SIGTERM)
    returncode = process.wait(timeout=30)

    assert f"Amiable is running at http://127.0.0.1:{port}/" in banner
    assert "No administrator yet: create the first one with `amiable createadmin`" in (
        banner
    )
    assert "log in as" not in banner
    assert f"outgoing e-mail is written to {tmp_path / 'mail'}/" in banner
    assert status == 200
    assert returncode == 0
    assert len(children) == 2
    assert [pid for pid in children if Path(f"/proc/{pid}").exists()] == []
    with pytest.raises(ConnectionRefusedError):  # nothing listens any more
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def _wait_for_worker(pid: int, *, other_than: int) -> int:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        for child, cmd in _children(pid).items():
            if "amiable.cli worker" in cmd and child != other_than:
                return child
        time.sleep(0.2)
    pytest.fail("the task worker was not restarted")


def test_run_restarts_a_child_that_dies(tmp_path: Path) -> None:
    port = _free_port()
    process = _start(tmp_path, port)
    _wait_for_banner(process)
    children = _children(process.pid)
    worker = next(pid for pid, cmd in children.items() if "amiable.cli worker" in cmd)

    os.kill(worker, signal.SIGKILL)
    restarted = _wait_for_worker(process.pid, other_than=worker)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/login/") as response:  # noqa: S310
        status = response.status
    still_running = process.poll() is None
    process.send_signal(signal.SIGTERM)
    returncode = process.wait(timeout=30)

    assert process.stderr is not None
    log = process.stderr.read()
    assert (
        "amiable: the task worker stopped (killed by signal SIGKILL); "
        "restarting it in 1 s" in log
    )
    assert "amiable: the task worker restarted" in log
    assert still_running
    assert status == 200
    assert returncode == 0
    assert not Path(f"/proc/{restarted}").exists()


@pytest.mark.parametrize(
    ("returncode", "reason"),
    [
        (-9, "killed by signal SIGKILL"),
        (-15, "killed by signal SIGTERM"),
        (3, "exit status 3"),
    ],
)
def test_exit_reason_names_the_signal_or_status(returncode: int, reason: str) -> None:
    assert serving.exit_reason(returncode) == reason


def test_restarts_back_off_then_give_up_within_a_minute() -> None:
    history: deque[float] = deque()

    delays = [serving.restart_delay(history, at) for at in (0.0, 1.0, 3.0, 7.0, 15.0)]
    with pytest.raises(serving.ServeError) as refused:
        serving.restart_delay(history, 31.0)
    after_a_quiet_minute = serving.restart_delay(history, 200.0)

    assert delays == [1.0, 2.0, 4.0, 8.0, 16.0]
    assert str(refused.value) == (
        "restarted 5 times within a minute; stopping the rest"
    )
    assert after_a_quiet_minute == 1.0


def test_catalogues_compile_without_gettext(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A machine without msgfmt still gets compiled catalogues (polib)."""
    po = tmp_path / "fr" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Case inbox"\nmsgstr "Boîte des dossiers"\n',
        encoding="utf-8",
    )
    settings.LOCALE_PATHS = [tmp_path]
    monkeypatch.setattr("amiable.serving.shutil.which", lambda name: None)

    compiled = serving.translations_compile()

    catalogue = gettext.GNUTranslations(po.with_suffix(".mo").open("rb"))
    assert compiled >= 1
    assert catalogue.gettext("Case inbox") == "Boîte des dossiers"


def _usernames(database: Path) -> list[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT username FROM accounts_user ORDER BY id")
        return [str(name) for (name,) in rows]


def _amiable(
    tmp_path: Path, *args: str, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AMIABLE_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "amiable.config.settings",
        "LANGUAGE_CODE": "en",
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-m", "amiable.cli", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("options", [(), ("--no-demo",)])
def test_a_production_start_creates_no_account(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    """Neither ``amiable run`` nor ``amiable run --no-demo`` creates an account."""
    port = _free_port()
    for _round in range(2):
        process = _start(tmp_path, port, options)
        banner = _wait_for_banner(process)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    assert "DEMO" not in banner
    assert _usernames(tmp_path / "run.sqlite3") == []


def test_after_createadmin_a_start_adds_no_account_and_refuses_the_demo(
    tmp_path: Path,
) -> None:
    assert _amiable(tmp_path, "migrate", "--verbosity=0").returncode == 0
    created = _amiable(
        tmp_path,
        "createadmin",
        "--username=root",
        "--password-stdin",
        stdin="a long and private passphrase\n",
    )
    port = _free_port()
    process = _start(tmp_path, port, ())
    banner = _wait_for_banner(process)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)

    demo = _amiable(tmp_path, "run", "--demo", f"--port={port}")

    assert created.returncode == 0
    assert "  log in with your own account" in banner
    assert demo.returncode == 1
    assert demo.stderr == (
        "amiable: error: This database already holds accounts or customers and is "
        "not a demo database: demo data and demo accounts only go into an empty "
        "database (set DATABASE_URL to a new one).\n"
    )
    assert _usernames(tmp_path / "run.sqlite3") == ["root"]
