"""A real browser: log in, open a case from the inbox, reply, see it appear."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import User
from amiable.cases.models import Case
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import CaseFactory


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_agent_logs_in_replies_and_sees_the_reply_without_reload(
    live_server: LiveServer,
    agent: User,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Playwright's sync API runs an event loop in this thread; the ORM calls below
    # are plain synchronous test code, not async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    case = CaseFactory.create(
        team=agent.team, assignee=agent, subject="Colis en retard"
    )
    reply = "Votre colis repart demain, avec nos excuses."

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR")
            staff_sign_in(page, live_server.url, "agent", password)

            page.get_by_role("link", name=case.reference).click()
            expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/")
            expect(page.locator("#case-workspace")).to_have_attribute(
                "data-version", "1"
            )
            page.evaluate("window.amiableNoReload = true")

            page.locator("#reply_body").fill(reply)
            page.get_by_test_id("send-reply").click()

            expect(page.locator(".timeline .interaction--outbound")).to_contain_text(
                reply
            )
            expect(page.get_by_test_id("notice")).to_be_visible()
            expect(page.locator("#case-workspace")).to_have_attribute(
                "data-version", "2"
            )
            assert page.evaluate("window.amiableNoReload") is True
            assert page.locator("#reply_body").input_value() == ""
        finally:
            browser.close()

    stored = Case.objects.get(pk=case.pk).interactions.get()
    assert stored.body_text == reply
