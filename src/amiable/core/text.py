"""Text that must stay on one line (names, subjects): they end up in e-mail
headers, CSV exports and log lines, where a line break forges a new header,
row or entry."""

from __future__ import annotations

import re

# CR, LF and every other character Python or a browser treats as a line break.
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def single_line(value: str) -> str:
    """``value`` with line breaks turned into one space, trimmed."""
    return _LINE_BREAKS.sub(" ", value).strip()
