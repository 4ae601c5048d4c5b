"""The pages work under their strict Content-Security-Policy: a real browser
reports no violation (no inline script or style refused) while an agent signs in,
opens a case and filters a list that submits itself, and a customer opens the
portal."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import User
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import CaseFactory, CustomerFactory
from tests.portal.conftest import link


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_pages_run_under_the_policy_without_a_violation(
    live_server: LiveServer,
    agent: User,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    case = CaseFactory.create(
        team=agent.team, assignee=agent, subject="Colis en retard"
    )
    customer_link = link(CustomerFactory.create(name="Alice Dupré"))
    violations: list[str] = []
    policies: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            violations.append(message.text)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR")
            page.on("console", watch)
            page.on(
                "response",
                lambda response: (
                    policies.append(response.headers.get("content-security-policy", ""))
                    if response.request.resource_type == "document"
                    else None
                ),
            )
            staff_sign_in(page, live_server.url, "agent", password)
            page.get_by_role("link", name=case.reference).click()
            expect(page).to_have_url(f"{live_server.url}/cases/{case.pk}/")

            page.goto(f"{live_server.url}/notifications/")
            page.get_by_label("Non lues seulement").check()
            expect(page).to_have_url(f"{live_server.url}/notifications/?unread=on")

            portal = browser.new_page(locale="fr-FR")
            portal.on("console", watch)
            portal.goto(f"{live_server.url}{customer_link}")
            expect(portal).to_have_url(f"{live_server.url}/portal/")
            expect(portal.get_by_role("heading", level=1)).to_contain_text("Alice")
        finally:
            browser.close()

    assert violations == []
    assert policies
    assert all("script-src 'self'" in policy for policy in policies)
