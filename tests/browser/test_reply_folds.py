"""A real browser: an inbound reply's list is on the case page, its signature and
quoted text are folded and open with one click (no script: ``<details>``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import User
from amiable.inbound.quoting import reply_extract
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import CaseFactory, InteractionFactory

REPLY = (
    "Bonjour,\n\nIl manque :\n- la housse de couette\n- le drap housse\n\n"
    "Cordialement,\nMarie Dupont\n06 12 34 56 78\n\n"
    "Le mar. 1 déc. 2026 à 10:12, Service client <support@amiable.localhost> "
    "a écrit :\n> Votre commande est partie."
)


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_the_folded_signature_and_quote_open_with_one_click(
    live_server: LiveServer,
    agent: User,
    password: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    case = CaseFactory.create(team=agent.team, assignee=agent, subject="Colis")
    reply = reply_extract(REPLY, subject="Re: Colis")
    InteractionFactory.create(
        customer=case.customer,
        case=case,
        subject="Re: Colis",
        body_text=reply.text,
        metadata={
            "email": {"from": "marie@exemple.fr"},
            "full_text": REPLY,
            "reply_lines": reply.line_kinds,
            "quoted_removed": True,
        },
    )

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR")
            staff_sign_in(page, live_server.url, "agent", password)
            page.goto(f"{live_server.url}/cases/{case.pk}/")
            message = page.locator(".timeline .interaction--inbound")
            quoted = message.get_by_text("> Votre commande est partie.")

            expect(message.get_by_text("- le drap housse")).to_be_visible()
            expect(quoted).to_be_hidden()
            message.get_by_text("Afficher la signature et le texte cité").click()

            expect(quoted).to_be_visible()
            expect(message.get_by_text("Marie Dupont")).to_be_visible()
        finally:
            browser.close()
