"""Which URLs may become links: absolute ``http``, ``https`` and ``mailto`` only.

Anything else from outside (``javascript:``, ``data:``, ``vbscript:``, a relative
path) is refused where it is stored and rendered as plain text where it is shown,
so a review platform or a typing agent can never plant a script behind a link.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Browsers drop tabs and newlines inside a URL and ignore leading spaces and
# control characters: "java\tscript:" runs as javascript:.
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")


def is_link_url(value: str) -> bool:
    """Whether ``value`` is an absolute http(s) URL with a host, or a mailto."""
    cleaned = _IGNORED_BY_BROWSERS.sub("", value)
    if cleaned != value.strip():
        return False
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in LINK_SCHEMES:
        return False
    return scheme == "mailto" or bool(parts.netloc)


def link_url_or_empty(value: str) -> str:
    """``value`` stripped when it may be a link, else "" (neutralised)."""
    return value.strip() if value and is_link_url(value) else ""


def link_url_check(value: str) -> str:
    """For schema validators: ``value`` (blank allowed) or ValueError."""
    if value.strip() and not is_link_url(value):
        raise ValueError("only http, https and mailto addresses are accepted")
    return value.strip()
