"""A real browser at 1440×900: an agent works the inbox and a case from the
keyboard. j / k move between the cases of the list and Enter opens one; on the
case page r focuses the reply, n the internal note, m the macro picker, ] and [
go to the next and previous case of the list, / the header search, g then i back
to the inbox; ? opens the help dialog, Escape closes it and the focus goes back
where it was.
Letters typed in a field are text, never shortcuts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import User
from amiable.cases.models import CaseStatus
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import CaseFactory, CustomerFactory

VIEWPORT: ViewportSize = {"width": 1440, "height": 900}


def _row_links(page: Page) -> list[str]:
    return [
        str(href)
        for href in page.locator("tr.case-row a.case-link").evaluate_all(
            "(links) => links.map((link) => link.pathname)"
        )
    ]


def _current_row(page: Page) -> str:
    return str(
        page.evaluate(
            "() => document.activeElement.closest('tr.case-row')"
            "?.querySelector('a.case-link').pathname ?? ''"
        )
    )


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_an_agent_works_the_inbox_and_a_case_from_the_keyboard(
    live_server: LiveServer,
    agent: User,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    start = timezone.now() - dt.timedelta(hours=2)
    for index in range(3):
        CaseFactory.create(
            team=agent.team,
            assignee=agent,
            status=CaseStatus.OPEN,
            subject=f"Colis {index} en retard",
            customer=CustomerFactory.create(name=f"Client {index}"),
            opened_at=start + dt.timedelta(minutes=index),
            last_activity_at=start + dt.timedelta(minutes=index),
        )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR", viewport=VIEWPORT)
            staff_sign_in(page, live_server.url, "agent", password)
            page.wait_for_load_state()  # the deferred scripts have run
            inbox_url = page.url
            links = _row_links(page)
            assert len(links) == 3
            first, second, _third = links

            # The list: j, j, k, then Enter opens the chosen case.
            page.keyboard.press("j")
            assert _current_row(page) == first
            page.keyboard.press("j")
            assert _current_row(page) == second
            expect(page.locator("tr.case-row.is-current")).to_have_count(1)
            page.keyboard.press("k")
            assert _current_row(page) == first
            page.keyboard.press("Enter")
            expect(page).to_have_url(f"{live_server.url}{first}")
            page.wait_for_load_state()

            # r: the reply; what is typed there stays text, even shortcut letters.
            reply = page.locator("#reply-form textarea[name=body]")
            page.keyboard.press("r")
            expect(reply).to_be_focused()
            page.keyboard.type("Bonjour, je regarde ]?/gi jkn")
            expect(reply).to_have_value("Bonjour, je regarde ]?/gi jkn")
            expect(page).to_have_url(f"{live_server.url}{first}")
            page.wait_for_load_state()
            expect(page.get_by_test_id("shortcuts-help")).to_be_hidden()

            # n: the internal note (its tab opens).
            page.locator("h1").click()
            page.keyboard.press("n")
            expect(page.locator("#note-form textarea[name=body]")).to_be_focused()

            # m: the macro picker's search box.
            page.locator("h1").click()
            page.keyboard.press("m")
            expect(page.locator("#macro-search")).to_be_focused()

            # ?: the help dialog; Escape closes it and the focus comes back.
            back_link = page.locator(".breadcrumb a").first
            back_link.focus()
            page.keyboard.press("?")
            help_dialog = page.get_by_role("dialog", name="Raccourcis clavier")
            expect(help_dialog).to_be_visible()
            expect(help_dialog).to_contain_text("Écrire une note interne")
            page.keyboard.press("j")  # no shortcut while the help is open
            expect(page).to_have_url(f"{live_server.url}{first}")
            page.wait_for_load_state()
            page.keyboard.press("Escape")
            expect(help_dialog).to_be_hidden()
            expect(back_link).to_be_focused()

            # ] and [: the next and previous case of the list the agent came from.
            page.locator("h1").click()
            page.keyboard.press("]")
            expect(page).to_have_url(f"{live_server.url}{second}")
            page.wait_for_load_state()
            page.keyboard.press("[")
            expect(page).to_have_url(f"{live_server.url}{first}")
            page.wait_for_load_state()

            # /: the header search; g then i: the inbox.
            page.keyboard.press("/")
            expect(page.get_by_test_id("header-search")).to_be_focused()
            page.locator("h1").click()
            page.keyboard.press("g")
            page.keyboard.press("i")
            expect(page).to_have_url(inbox_url)
        finally:
            browser.close()
