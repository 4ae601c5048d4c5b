"""A real browser, on a desktop and on a phone: an agent takes a call from someone
unknown, opens a phone case registering the caller, then finds the case again from
the header search by typing the number as people say it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import User
from amiable.cases.models import Case
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in

VIEWPORTS = [
    pytest.param(ViewportSize(width=1440, height=900), id="desktop"),
    pytest.param(ViewportSize(width=390, height=844), id="phone"),
]


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_agent_opens_a_phone_case_for_a_new_caller_then_finds_it_by_phone(
    live_server: LiveServer,
    agent: User,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
    viewport: ViewportSize,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR", viewport=viewport)
            staff_sign_in(page, live_server.url, "agent", password)

            page.goto(f"{live_server.url}/cases/new/")
            page.get_by_label("Appel téléphonique").check()
            page.get_by_test_id("customer-lookup").fill("06 16 80 63 13")
            expect(page.get_by_test_id("customer-lookup-none")).to_contain_text(
                "Aucun client trouvé pour « 06 16 80 63 13 »"
            )
            page.get_by_label("Nom", exact=True).fill("Armelle Quéré")
            page.get_by_label("Téléphone").fill("06 16 80 63 13")
            page.get_by_label("Objet").fill("Carte cadeau non reçue")
            page.get_by_label("Ce que le client a dit").fill(
                "Appel : la carte cadeau n'est jamais arrivée."
            )
            assert _fits(page), "the new case form is wider than the screen"
            page.get_by_test_id("case-intake-submit").click()

            expect(page).to_have_url(re.compile(rf"{live_server.url}/cases/\d+/$"))
            case = Case.objects.get()
            expect(page.locator("body")).to_contain_text(case.reference)

            search = page.get_by_test_id("header-search")
            search.fill("06 16 80 63 13")
            search.press("Enter")

            expect(page).to_have_url(re.compile(r"/cases/search/\?q="))
            results = page.get_by_test_id("search-cases")
            expect(results.get_by_role("link")).to_have_count(1)
            assert _fits(page), "the search results are wider than the screen"
            results.get_by_role("link").click()
            expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/")
        finally:
            browser.close()

    assert case.channel == "phone"
    assert case.assignee == agent
    assert case.customer.identities.get().normalized == "+33616806313"


def _fits(page: Page) -> bool:
    """Nothing of the page's content, nor the header search box, reaches past the
    window's right edge (the header's menu is the navigation's own business)."""
    fits: bool = page.evaluate(
        "Array.from(document.querySelectorAll('main *, .header-search *'))"
        ".every(e => e.getBoundingClientRect().right <= window.innerWidth + 1)"
    )
    return fits
