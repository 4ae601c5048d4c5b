"""Web and worker processes of a deployment on several machines, on loopback.

Each process shares nothing with the others but PostgreSQL, Redis and the S3
server: they are started as separate programs with the environment a host would
have. ``Machine.lose`` stands for a host going away: SIGKILL to every process of
it (gunicorn's master and workers; the RQ worker and its work horse).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *_descendants(child)]
    return found


def _cpu_seconds(pid: int) -> float:
    """CPU time of a process and of its children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime: fields 14 to 17 of proc(5), 12 to 15 here.
    ticks = sum(int(value) for value in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Machine:
    name: str
    process: subprocess.Popen[bytes]
    port: int | None = None
    log: Path | None = None
    lost: bool = field(default=False)
    cpu_seconds: float = 0.0

    def cpu_sample(self) -> float:
        """CPU seconds of the whole host so far (kept for after its end)."""
        pids = [self.process.pid, *_descendants(self.process.pid)]
        self.cpu_seconds = max(self.cpu_seconds, sum(map(_cpu_seconds, pids)))
        return self.cpu_seconds

    def lose(self) -> int:
        """SIGKILL the process and all its descendants; returns how many died."""
        self.cpu_sample()
        victims = [*_descendants(self.process.pid), self.process.pid]
        for pid in victims:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                continue
        self.process.wait(timeout=10)
        self.lost = True
        return len(victims)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.cpu_sample()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.lose()


def _start(
    name: str, args: list[str], env: dict[str, str], logs: Path
) -> subprocess.Popen[bytes]:
    log = (logs / f"{name}.log").open("wb")
    return subprocess.Popen(  # noqa: S603 (our own interpreter and programs)
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def web_start(name: str, env: dict[str, str], logs: Path, workers: int) -> Machine:
    """gunicorn with ``workers`` sync workers, as on a web host."""
    port = free_port()
    process = _start(
        name,
        [
            "-m",
            "gunicorn",
            "amiable.config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        env,
        logs,
    )
    return Machine(name, process, port=port, log=logs / f"{name}.log")


def worker_start(name: str, env: dict[str, str], logs: Path) -> Machine:
    """``amiable worker`` (the RQ worker and the scheduler thread), as on a host."""
    process = _start(name, ["-m", "amiable.cli", "worker"], env, logs)
    return Machine(name, process, log=logs / f"{name}.log")


def wait_listening(machines: list[Machine], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    for machine in machines:
        assert machine.port is not None
        while True:
            if machine.process.poll() is not None:
                log = machine.log.read_text()[-3000:] if machine.log else ""
                raise RuntimeError(f"{machine.name} stopped at start:\n{log}")
            try:
                with socket.create_connection(("127.0.0.1", machine.port), 0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{machine.name} is not listening") from None
                time.sleep(0.2)
