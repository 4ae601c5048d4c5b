"""A real browser: escalate a case to the supervisor, then resolve it, both from
the case page and without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseEscalation
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import CaseFactory


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_agent_escalates_then_resolves_without_reload(
    live_server: LiveServer,
    agent: User,
    supervisor: User,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    case = CaseFactory.create(team=agent.team, assignee=agent, subject="Colis perdu")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR")
            staff_sign_in(page, live_server.url, "agent", password)
            page.goto(f"{live_server.url}/cases/{case.pk}/")
            page.evaluate("window.amiableNoReload = true")

            page.locator("#escalate-level").select_option("1")
            page.locator("#escalate_reason").fill("Client menaçant un avis public")
            page.get_by_role("button", name="Escalader").click()

            expect(page.get_by_test_id("notice")).to_contain_text(
                "Escaladé au niveau 1 (Superviseur)."
            )
            expect(page.locator(".ladder-step--current")).to_contain_text(
                "1 · Superviseur"
            )

            page.get_by_text("Résoudre", exact=True).click()
            page.locator("#resolve_resolution_summary").fill("Colis retrouvé.")
            page.get_by_test_id("resolve").click()

            expect(page.get_by_test_id("notice")).to_contain_text("Dossier résolu.")
            expect(page.get_by_test_id("resolution")).to_contain_text("Colis retrouvé.")
            assert page.evaluate("window.amiableNoReload") is True
        finally:
            browser.close()

    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.escalation_level) == ("resolved", 1)
    assert CaseEscalation.objects.get(case=case).escalated_by == agent
