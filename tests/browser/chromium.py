"""The browser every browser test drives: Debian's chromium, headless, as set in
``AMIABLE_CHROMIUM`` by scripts/test.sh (empty: the tests are skipped, or fail
under CI=true)."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("AMIABLE_CHROMIUM", "")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
