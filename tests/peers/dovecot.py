"""A real IMAP server for tests: Debian's dovecot-imapd, started with a temporary
configuration on a free loopback port, one user, plaintext login (loopback only).

Skipped when dovecot is not installed, except under CI=true, where it is a failure
(``.ci/run`` installs it)."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USERNAME = "support"
PASSWORD = "imap-test-password"  # noqa: S105 (a throwaway test server)


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int
    username: str
    password: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _config(root: Path, port: int, user: str) -> str:
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{root}/mail/%u
default_login_user = {user}
default_internal_user = {user}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={user} gid={user} home={root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


def _wait_listening(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None and process.returncode != 0:
            break
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    text = log.read_text(errors="replace") if log.exists() else ""
    raise RuntimeError(f"dovecot did not start on port {port}: {text[-2000:]}")


@pytest.fixture
def imap_server() -> Iterator[ImapServer]:
    """Start dovecot for one test; stop it and delete its files afterwards."""
    if not os.path.exists(DOVECOT):
        if os.environ.get("CI") == "true":
            pytest.fail(
                "CI=true but dovecot is missing (apt-get install dovecot-imapd)"
            )
        pytest.skip("dovecot is not installed: apt-get install dovecot-imapd")
    user = "dovecot" if _has_user("dovecot") else pwd.getpwuid(os.getuid()).pw_name
    root = Path(tempfile.mkdtemp(prefix="amiable-imap-"))
    root.chmod(0o755)
    for name in ("run", "state", "mail", "home"):
        (root / name).mkdir()
    (root / "users").write_text(f"{USERNAME}:{{PLAIN}}{PASSWORD}\n")
    if os.getuid() == 0:
        for name in ("mail", "home", "state"):
            shutil.chown(root / name, user, user)
    port = free_port()
    config = root / "dovecot.conf"
    config.write_text(_config(root, port, user))
    process = subprocess.Popen(  # noqa: S603 (a fixed program and our own config)
        [DOVECOT, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_listening(port, process, root / "dovecot.log")
        yield ImapServer("127.0.0.1", port, USERNAME, PASSWORD)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
