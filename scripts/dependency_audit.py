"""Audit the pinned dependencies (requirements/*.lock) for known vulnerabilities.

    python scripts/dependency_audit.py            # part of `make lint`
    python scripts/dependency_audit.py --strict   # also fail when nothing was audited

Runs ``pip-audit`` on the lock files (no install, no resolution). Exit 1 when a
pinned version has a known vulnerability. pip-audit asks a vulnerability service
over the network (PyPI's JSON API by default); where that service is unreachable or
knows none of the pins, the audit did not happen: this says so loudly, and fails
only with ``--strict`` (a CI without that network still runs the rest of its
checks, and nobody mistakes "not audited" for "no vulnerability").
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCKS = sorted((ROOT / "requirements").glob("*.lock"))


def _pip_audit() -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip_audit", "--format", "json"]
    command += ["--disable-pip", "--no-deps", "--progress-spinner", "off"]
    for lock in LOCKS:
        command += ["--requirement", str(lock)]
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        command, capture_output=True, text=True, check=False, timeout=900
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true")
    strict = parser.parse_args().strict
    result = _pip_audit()
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr.strip()[-2000:], file=sys.stderr)
        print("dependency audit: NOT RUN (pip-audit failed, see above)")
        return 1 if strict else 0
    dependencies = report.get("dependencies", [])
    vulnerable = [item for item in dependencies if item.get("vulns")]
    skipped = [item for item in dependencies if item.get("skip_reason")]
    for item in vulnerable:
        for vuln in item["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"{item['name']} {item['version']}: {vuln['id']} (fixed in {fixes})")
    audited = len(dependencies) - len(skipped)
    print(
        f"dependency audit: {audited} pinned package(s) audited, "
        f"{len(vulnerable)} vulnerable, {len(skipped)} not audited"
    )
    if vulnerable:
        return 1
    if skipped:
        print(
            "dependency audit: the vulnerability service could not answer for "
            f"{len(skipped)} package(s) (no network to it here?): NOT AUDITED"
        )
        return 1 if strict else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
