"""The browser every browser test drives: Debian's chromium, headless, as set in
``AMIABLE_CHROMIUM`` by scripts/test.sh (empty: the tests are skipped, or fail
under CI=true)."""

from __future__ import annotations

import os

from playwright.sync_api import Page, expect

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


def staff_sign_in(page: Page, base_url: str, username: str, password: str) -> None:
    """Sign in through the French sign-in page and land on the inbox."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page).to_have_url(f"{base_url}/cases/")
