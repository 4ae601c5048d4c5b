"""How many of the charset fixtures (``tests/inbound/charset_samples.py``) read right:
subject equal, body equal, per family of charsets.

    .venv/bin/python scripts/charset_measure.py [--verbose]

Run with another ``PYTHONPATH=.../src`` to measure another version of the parser.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print each failure")
    options = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.inbound.charset_samples import samples

    from amiable.inbound.parsing import email_parse

    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for sample in samples():
        parsed = email_parse(sample.raw)
        checks = {
            "subject": parsed.subject == sample.subject,
            "body": parsed.text.strip() == sample.body.strip(),
        }
        for part, ok in checks.items():
            total[f"{sample.family} {part}"] += 1
            right[f"{sample.family} {part}"] += ok
            if not ok and options.verbose:
                shown = parsed.subject if part == "subject" else parsed.text[:60]
                print(f"WRONG {sample.name} {part}: {shown!r}")
    for key in sorted(total):
        print(f"{key:20} {right[key]:3}/{total[key]}")
    print(f"{'all':20} {sum(right.values()):3}/{sum(total.values())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
