"""``amiable run``: prepare the database, then run gunicorn and the task worker.

The parent process migrates, compiles translations and, with ``--demo`` only, marks
the database as a demo one (refused for a database holding real data) and loads the
demo data once; a start without ``--demo`` never creates an account. It then
starts two children, each in its own session so a Ctrl-C reaches them once, through
this process: gunicorn (threaded workers, static files by WhiteNoise) and the task
worker of the configured backend. SIGINT and SIGTERM are forwarded to both. A child
that dies on its own is restarted after a growing delay, its exit status or signal
logged; one that keeps dying (RESTARTS_PER_MINUTE) stops everything, status 1.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import polib
from django.conf import settings
from django.core.management import call_command
from django.db import connections

STOP_TIMEOUT_SECONDS = 20
# A child that stops is restarted after 1 s, 2 s, 4 s…; more restarts than this
# within a minute means it cannot run (bad configuration): everything stops.
RESTART_FIRST_DELAY_SECONDS = 1.0
RESTARTS_PER_MINUTE = 5
RESTART_WINDOW_SECONDS = 60.0
READY_TIMEOUT_SECONDS = 60
FILE_MAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"


class ServeError(Exception):
    """``amiable run`` cannot start or a child stopped; a one-line message."""


def _write(line: str, *, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    stream.write(line + "\n")
    stream.flush()


def port_check_free(host: str, port: int) -> None:
    """Raise ServeError when something already listens on ``host:port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise ServeError(
                f"cannot listen on {host}:{port}: {exc.strerror}"
            ) from None


def translations_compile() -> int:
    """Compile every ``.po`` of ours newer than its ``.mo``; return how many.

    Like ``compilemessages`` on our catalogues, without walking the working
    directory. Uses msgfmt when installed, else polib (pure Python), so a machine
    without gettext still gets the French interface.
    """
    catalogues = [
        po
        for locale_dir in settings.LOCALE_PATHS
        for po in Path(locale_dir).rglob("*.po")
        if not po.with_suffix(".mo").exists()
        or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
    ]
    msgfmt = shutil.which("msgfmt")
    for po in catalogues:
        if msgfmt is None:
            polib.pofile(str(po)).save_as_mofile(str(po.with_suffix(".mo")))
            continue
        subprocess.run(  # noqa: S603 (fixed program, our own files)
            [msgfmt, "--check-format", "-o", str(po.with_suffix(".mo")), str(po)],
            check=True,
        )
    return len(catalogues)


@dataclass(frozen=True)
class StartAccess:
    """What the banner says about signing in: demo credentials, or how to get in."""

    demo_password: str | None  # set only in a database marked as a demo
    administrators: int  # active administrators


def _database_prepare(*, load_demo: bool) -> StartAccess:
    from amiable.accounts.selectors import administrators_count
    from amiable.customers.models import Customer
    from amiable.demo.loader import demo_load
    from amiable.demo.selectors import demo_database_get
    from amiable.demo.services import demo_database_mark

    call_command("migrate", interactive=False, verbosity=0)
    translations_compile()
    # WhiteNoise serves through the finders; an absent STATIC_ROOT only warns.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    if load_demo:
        # Only an empty database or a demo one: refused (one line) for real data.
        mark = demo_database_mark()
        if not Customer.objects.exists():
            _write("Loading the demo data (first run only)…")
            summary = demo_load(scale=1.0)
            _write(
                f"Demo data loaded: {summary.customers} customers, "
                f"{summary.cases} cases in {summary.seconds:.1f} s."
            )
        return StartAccess(
            demo_password=mark.password, administrators=administrators_count()
        )
    # A production start creates no account; a demo database still says its own.
    mark_or_none = demo_database_get()
    return StartAccess(
        demo_password=mark_or_none.password if mark_or_none else None,
        administrators=administrators_count(),
    )


def access_banner(access: StartAccess, *, address: str) -> str:
    """The banner's lines about signing in (demo credentials only in a demo)."""
    from amiable.demo.staff import DEMO_ADMIN_USERNAME, DEMO_AGENT_USERNAMES

    if access.demo_password is not None:
        return (
            "  DEMO database: demo credentials (valid in this demo database only)\n"
            f"  log in as {DEMO_ADMIN_USERNAME} / {access.demo_password}"
            f" (agents: {', '.join(DEMO_AGENT_USERNAMES)}… same password)\n"
        )
    if access.administrators == 0:
        return (
            "  No administrator yet: create the first one with `amiable createadmin`"
            f" (it asks for a password), then log in at {address}login/\n"
        )
    return "  log in with your own account\n"


def _children_commands(
    *, host: str, port: int, workers: int, threads: int
) -> dict[str, list[str]]:
    commands = {
        "web server": [
            sys.executable,
            "-m",
            "gunicorn",
            "amiable.config.wsgi:application",
            f"--bind={host}:{port}",
            f"--workers={workers}",
            f"--threads={threads}",
            "--worker-class=gthread",
            "--timeout=60",
            "--graceful-timeout=10",
            "--access-logfile=-",
            "--error-logfile=-",
            "--no-control-socket",
        ]
    }
    if settings.AMIABLE_TASKS != "immediate":
        commands["task worker"] = [sys.executable, "-m", "amiable.cli", "worker"]
    if settings.AMIABLE_SMTP_LISTEN:  # the SMTP endpoint, only when configured
        commands["SMTP endpoint"] = [sys.executable, "-m", "amiable.cli", "smtp"]
    return commands


def _wait_ready(
    host: str, port: int, children: dict[str, subprocess.Popen[bytes]]
) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    target = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104
    while time.monotonic() < deadline:
        for name, child in children.items():
            if child.poll() is not None:
                raise ServeError(
                    f"the {name} exited at start (status {child.returncode})"
                )
        try:
            with socket.create_connection((target, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise ServeError(f"the web server did not answer on port {port} in time")


def _spawn(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 (our own commands)
        command, env=env, start_new_session=True
    )


def exit_reason(returncode: int) -> str:
    """Why a child stopped, for the log: its exit status or the signal."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = str(-returncode)
        return f"killed by signal {name}"
    return f"exit status {returncode}"


def restart_delay(history: deque[float], at: float) -> float:
    """Seconds to wait before restarting a child that stopped at ``at``, given the
    times of its recent restarts (updated); doubles with each restart of the last
    minute. Raises ServeError when it already restarted RESTARTS_PER_MINUTE times.
    """
    while history and at - history[0] > RESTART_WINDOW_SECONDS:
        history.popleft()
    if len(history) >= RESTARTS_PER_MINUTE:
        raise ServeError(
            f"restarted {len(history)} times within a minute; stopping the rest"
        )
    history.append(at)
    delay: float = RESTART_FIRST_DELAY_SECONDS * 2 ** (len(history) - 1)
    return min(delay, 30.0)


def _supervise(
    children: dict[str, subprocess.Popen[bytes]],
    *,
    commands: dict[str, list[str]],
    env: dict[str, str],
    stopping: list[int],
) -> None:
    """Watch the children until a stop signal; restart one that stops, after a
    growing delay, logging why it stopped. Raises ServeError when a child keeps
    stopping (more than RESTARTS_PER_MINUTE restarts within a minute)."""
    history: dict[str, deque[float]] = {name: deque() for name in children}
    due: dict[str, float] = {}
    while not stopping:
        stamp = time.monotonic()
        for name, child in list(children.items()):
            if name in due:
                if stamp >= due[name]:
                    del due[name]
                    children[name] = _spawn(commands[name], env)
                    _write(f"amiable: the {name} restarted", error=True)
                continue
            if child.poll() is None:
                continue
            reason = exit_reason(child.returncode)
            try:
                delay = restart_delay(history[name], stamp)
            except ServeError as exc:
                raise ServeError(f"the {name} stopped ({reason}); {exc}") from None
            due[name] = stamp + delay
            _write(
                f"amiable: the {name} stopped ({reason}); restarting it in {delay:g} s",
                error=True,
            )
        time.sleep(0.2)


def _stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def serve(
    *, host: str, port: int, workers: int | None, threads: int, load_demo: bool
) -> int:
    """Prepare, start and supervise the web server and the worker; exit status."""
    port_check_free(host, port)
    access = _database_prepare(load_demo=load_demo)
    connections.close_all()  # children open their own connections
    workers = workers or min(4, 2 * (os.cpu_count() or 1))
    stopping: list[int] = []

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stopping.append(signum)

    previous = {
        signum: signal.signal(signum, on_signal)
        for signum in (signal.SIGINT, signal.SIGTERM)
    }
    children: dict[str, subprocess.Popen[bytes]] = {}
    try:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
        }
        mail_note = ""
        if not os.environ.get("EMAIL_BACKEND"):
            env["EMAIL_BACKEND"] = FILE_MAIL_BACKEND
            mail_note = (
                f"  outgoing e-mail is written to {settings.EMAIL_FILE_PATH}/ "
                "(set EMAIL_BACKEND to send it)\n"
            )
        commands = _children_commands(
            host=host, port=port, workers=workers, threads=threads
        )
        for name, command in commands.items():
            children[name] = _spawn(command, env)
        _wait_ready(host, port, children)
        shown = "127.0.0.1" if host in {"0.0.0.0", ""} else host  # noqa: S104
        address = f"http://{shown}:{port}/"
        _write(
            f"\nAmiable is running at {address}\n"
            + access_banner(access, address=address)
            + f"  admin: http://{shown}:{port}/admin/  "
            f"API docs: http://{shown}:{port}/api/v1/docs\n"
            f"{mail_note}"
            "Press Ctrl-C to stop."
        )
        _supervise(children, commands=commands, env=env, stopping=stopping)
        _write("Stopping…")
        return 0
    finally:
        _stop(children)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
