"""Issue 16 item 8: CI (``.ci/run`` → ``make test`` → ``make lint``) runs bandit and
the dependency audit (pip-audit on the lock files) and fails on what they find."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
BANDIT = Path(sys.executable).with_name("bandit")


def _lint_recipe() -> list[str]:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = lines.index("lint: install-dev")
    recipe: list[str] = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_make_lint_runs_bandit_on_high_findings_and_the_dependency_audit() -> None:
    recipe = _lint_recipe()

    assert (
        "$(BIN)/bandit -c pyproject.toml -r src --severity-level high --quiet" in recipe
    )
    assert "$(BIN)/python scripts/dependency_audit.py" in recipe
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test: install-dev lint" in (ROOT / "Makefile").read_text(encoding="utf-8")


def _bandit(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our virtualenv's bandit, fixed arguments
        [
            str(BANDIT),
            "-c",
            str(ROOT / "pyproject.toml"),
            "-r",
            str(path),
            "--severity-level",
            "high",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.skipif(not BANDIT.exists(), reason="bandit is a dev dependency")
def test_bandit_fails_on_a_high_finding_and_passes_a_medium_one(
    tmp_path: Path,
) -> None:
    high, medium = tmp_path / "high", tmp_path / "medium"
    high.mkdir()
    medium.mkdir()
    (high / "shell.py").write_text(
        "import subprocess\n\n\ndef run(command):\n"
        "    return subprocess.call(command, shell=True)\n",
        encoding="utf-8",
    )
    (medium / "bind.py").write_text(
        "import socket\n\nsocket.socket().bind(('0.0.0.0', 8000))\n",
        encoding="utf-8",
    )

    assert _bandit(high).returncode == 1
    assert _bandit(medium).returncode == 0


def _dependency_audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "dependency_audit", ROOT / "scripts" / "dependency_audit.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(*dependencies: dict[str, object]) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(
        args=[], returncode=0, stdout=json.dumps({"dependencies": dependencies})
    )


CLEAN = {"name": "django", "version": "5.2.19", "vulns": []}
VULNERABLE = {
    "name": "jinja2",
    "version": "3.1.2",
    "vulns": [{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"]}],
}
UNANSWERED = {"name": "nh3", "version": "0.3.0", "skip_reason": "no network"}


@pytest.mark.parametrize(
    ("dependencies", "argv", "status", "last_line"),
    [
        (
            [CLEAN],
            [],
            0,
            "dependency audit: 1 pinned package(s) audited, 0 vulnerable, "
            "0 not audited",
        ),
        (
            [CLEAN, VULNERABLE],
            [],
            1,
            "dependency audit: 2 pinned package(s) audited, 1 vulnerable, "
            "0 not audited",
        ),
        (
            [CLEAN, UNANSWERED],
            [],
            0,
            "dependency audit: the vulnerability service could not answer for 1 "
            "package(s) (no network to it here?): NOT AUDITED",
        ),
        (
            [CLEAN, UNANSWERED],
            ["--strict"],
            1,
            "dependency audit: the vulnerability service could not answer for 1 "
            "package(s) (no network to it here?): NOT AUDITED",
        ),
    ],
)
def test_the_dependency_audit_fails_on_a_known_vulnerability(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dependencies: list[dict[str, object]],
    argv: list[str],
    status: int,
    last_line: str,
) -> None:
    audit = _dependency_audit()
    monkeypatch.setattr(audit, "_pip_audit", lambda: _report(*dependencies))
    monkeypatch.setattr(sys, "argv", ["dependency_audit.py", *argv])

    assert audit.main() == status
    assert capsys.readouterr().out.strip().splitlines()[-1] == last_line
