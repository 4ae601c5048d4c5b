"""gunicorn (2 sync workers) for each product, and what /proc says of its workers:
CPU time (user + system) and memory (peak RSS, and the heap: anonymous pages,
which leave out the database file's mapped and cached pages)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return sorted(found)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (fields 14 and 15 of its stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def memory_kib(pid: int) -> dict[str, int]:
    """Rss, Anonymous and Private_Dirty now (smaps_rollup) and peak RSS (VmHWM)."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Anonymous", "Private_Dirty"):
            values[name] = int(rest.split()[0])
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            values["VmHWM"] = int(line.split()[1])
    return values


@dataclass
class Server:
    """One product on gunicorn; ``peak`` keeps each worker's largest readings."""

    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    peak: dict[int, dict[str, int]] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, probe: str, timeout: float = 240) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                *self.command,
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--timeout",
                "600",
                "--log-level",
                "warning",
            ],
            cwd=self.cwd,
            env=self.env,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name}: gunicorn exited")
            try:
                requests.get(self.base + probe, timeout=60, allow_redirects=False)
            except requests.ConnectionError:
                time.sleep(0.5)
                continue
            if len(self.workers()) == 2:
                return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name}: gunicorn did not answer in time")

    def workers(self) -> list[int]:
        assert self.process is not None
        return children(self.process.pid)

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.workers())

    def sample_memory(self) -> None:
        for pid in self.workers():
            now = memory_kib(pid)
            seen = self.peak.setdefault(pid, {})
            for key, value in now.items():
                seen[key] = max(seen.get(key, 0), value)

    def busiest_mib(self) -> dict[str, float]:
        """The largest worker figures seen, in MiB."""
        if not self.peak:
            return {}
        keys = {key for seen in self.peak.values() for key in seen}
        return {
            key: round(max(seen.get(key, 0) for seen in self.peak.values()) / 1024, 1)
            for key in sorted(keys)
        }

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
