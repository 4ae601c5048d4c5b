"""Every agent page fits a phone (390×844) and a tablet (768×1024) held upright:
in real headless Chromium, on the small demo data set, the administrator (who is
shown every staff page) follows the internal links from the inbox and the menu,
and no page is wider than the screen (no horizontal scroll). The main menu is
collapsed behind a "Menu" button there, and the user menu can be tapped open."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    ViewportSize,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from amiable.demo.loader import demo_load
from amiable.demo.selectors import demo_database_get
from amiable.demo.staff import DEMO_ADMIN_USERNAME
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.web.crawling import DOWNLOAD_PATTERNS, SKIPPED_PREFIXES, shape

SCREENS: dict[str, ViewportSize] = {
    "phone": {"width": 390, "height": 844},
    "tablet": {"width": 768, "height": 1024},
}
PAGE_LIMIT = 90
PER_SHAPE = 1  # pages of one shape (digits and query values apart) visited
MIN_PAGES = 35  # a crawl that stopped at the inbox proves little
# What makes a page wider than the window, and the elements sticking out of it
# (the deepest ones: their ancestors stick out because of them).
OVERFLOW = """() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const out = [...document.body.querySelectorAll('*')].filter((element) => {
    const box = element.getBoundingClientRect();
    const sticksOut = (item) => item.getBoundingClientRect().right > width + 1;
    return box.width > 0 && sticksOut(element)
      && ![...element.children].some(sticksOut);
  }).slice(0, 4).map((element) => {
    const classes = [...element.classList].slice(0, 2).join('.');
    const name = element.tagName.toLowerCase() + (element.id ? '#' + element.id : '')
      + (classes ? '.' + classes : '');
    return name + ' ' + Math.round(element.getBoundingClientRect().right) + 'px';
  });
  return {scroll: root.scrollWidth, width: width, out: out};
}"""
LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter((link) => link.origin === location.origin)
  .map((link) => link.pathname + link.search)"""


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


def _signed_in(
    browser: Browser,
    base_url: str,
    viewport: ViewportSize,
    password: str,
    *,
    has_touch: bool = False,
) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        locale="fr-FR", viewport=viewport, has_touch=has_touch
    )
    page = context.new_page()
    page.goto(f"{base_url}{reverse('web:login')}")
    page.locator("input[name=username]").fill(DEMO_ADMIN_USERNAME)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"{base_url}{reverse('cases:inbox')}")
    return context, page


def _followed(path: str) -> bool:
    return not path.startswith(SKIPPED_PREFIXES) and not any(
        pattern.search(path.split("?")[0]) for pattern in DOWNLOAD_PATTERNS
    )


def _open(page: Page, url: str) -> bool:
    """Open ``url``; False when it is not an HTML page of ours that answered 200."""
    response = page.goto(url)
    if response is None or response.status != 200:
        return False
    if "text/html" not in (response.headers.get("content-type") or ""):
        return False
    if page.locator("[hx-trigger~=load], [hx-trigger^='load']").count():
        page.wait_for_load_state("networkidle")
    return True


def _overflow(page: Page, screen: str, path: str) -> str | None:
    found = page.evaluate(OVERFLOW)
    if found["scroll"] <= found["width"]:
        return None
    return (
        f"{path} [{screen}]: {found['scroll']}px wide for {found['width']}px:"
        f" {', '.join(found['out'])}"
    )


def _crawl(pages: dict[str, Page], base_url: str) -> tuple[list[str], list[str]]:
    """Breadth-first from the inbox at every screen size: the pages visited and
    what overflows."""
    first = next(iter(pages.values()))
    queue: deque[str] = deque([reverse("cases:inbox"), reverse("web:home")])
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < PAGE_LIMIT:
        path = queue.popleft()
        key = re.sub(r"/[0-9a-f-]{32,}/", "/<uuid>/", shape(path))
        if path in seen or shapes.get(key, 0) >= PER_SHAPE or not _followed(path):
            continue
        seen.add(path)
        shapes[key] = shapes.get(key, 0) + 1
        if not _open(first, f"{base_url}{path}"):
            continue
        visited.append(path)
        queue.extend(link for link in first.evaluate(LINKS) if link not in seen)
        for screen, page in pages.items():
            if page is not first:
                _open(page, f"{base_url}{path}")
            if problem := _overflow(page, screen, path):
                problems.append(problem)
    return visited, problems


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_every_agent_page_fits_a_phone_and_a_tablet_without_horizontal_scroll(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, browser: Browser
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    demo_load(scale=0.02, progress=False)
    mark = demo_database_get()
    assert mark is not None
    signed_in = {
        screen: _signed_in(browser, live_server.url, viewport, mark.password)
        for screen, viewport in SCREENS.items()
    }

    visited, problems = _crawl(
        {screen: page for screen, (_context, page) in signed_in.items()},
        live_server.url,
    )

    print(f"{len(visited)} pages at {', '.join(SCREENS)}")  # noqa: T201
    assert problems == [], "\n".join(problems)
    assert len(visited) >= MIN_PAGES, visited
    assert reverse("cases:inbox") in visited


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.django_db(transaction=True)
def test_the_menu_collapses_and_the_user_menu_can_be_tapped(
    live_server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    browser: Browser,
    screen: str,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    demo_load(scale=0.01, progress=False)
    mark = demo_database_get()
    assert mark is not None
    context, page = _signed_in(
        browser, live_server.url, SCREENS[screen], mark.password, has_touch=True
    )
    try:
        menu = page.locator("#main-menu")
        toggle = page.get_by_role("button", name="Menu")
        expect(menu).to_be_hidden()
        expect(toggle).to_have_attribute("aria-expanded", "false")

        toggle.tap()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(menu.get_by_role("link", name="Dossiers", exact=True)).to_be_visible()
        menu.locator(".user-menu > summary").tap()
        logout = page.get_by_test_id("logout")
        logout.scroll_into_view_if_needed()
        expect(logout).to_be_in_viewport()
        logout.tap()
        expect(page).to_have_url(f"{live_server.url}{reverse('web:login')}")
    finally:
        context.close()
