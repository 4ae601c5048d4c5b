"""A real browser at 1440×900: an agent answers an email case with a macro picked by
keyboard and an attachment; the email goes from the mailbox the customer wrote to,
with the file and the macro's text, variables filled."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import FilePayload, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import User
from amiable.cases.models import Case, CasePriority
from amiable.inbound.services import email_ingest
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories.inbound import MailboxFactory
from tests.factories.macros import MacroFactory
from tests.inbound.conftest import build_email

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_an_agent_answers_with_a_macro_and_a_file_from_the_customers_mailbox(
    live_server: LiveServer,
    agent: User,
    password: str,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mailbox = MailboxFactory.create(
        name="Service après-vente",
        address="sav@boutique.example",
        team=agent.team,
        signature="Boutique Exemple — SAV",
    )
    result = email_ingest(
        raw=build_email(to="sav@boutique.example", subject="Colis abîmé"),
        source="smtp",
        mailbox=mailbox,
    )
    assert result.case_id is not None
    case = Case.objects.get(pk=result.case_id)
    MacroFactory.create(
        name="Remboursement colis abîmé",
        team=agent.team,
        body_fr=(
            "Bonjour {{ first_name }}, le dossier {{ case_reference }} est remboursé."
        ),
        set_priority=CasePriority.HIGH,
    )
    MacroFactory.create(name="Autre réponse", team=agent.team, body_fr="Autre")
    mail.outbox.clear()  # the acknowledgement of the customer's email

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(
                locale="fr-FR", viewport={"width": 1440, "height": 900}
            )
            staff_sign_in(page, live_server.url, "agent", password)
            page.goto(f"{live_server.url}/cases/{case.pk}/")

            reply_box = page.locator("#reply_body")
            expect(reply_box).to_be_in_viewport()
            expect(page.get_by_test_id("reply-from")).to_contain_text(
                "sav@boutique.example"
            )

            search = page.locator("#macro-search")
            search.focus()
            search.press_sequentially("rembours")
            expect(page.get_by_test_id("macro-option")).to_have_count(1)
            search.press("ArrowDown")
            expect(page.get_by_test_id("macro-option")).to_be_focused()
            page.keyboard.press("Enter")

            # The macro raised the priority: the workspace came back with the text
            # kept (draft) and the new badge.
            expect(page.locator(".case-badges")).to_contain_text("Haute")
            expect(reply_box).to_have_value(
                f"Bonjour Élodie, le dossier {case.reference} est remboursé."
            )
            page.locator("#reply_attachments").set_input_files(
                files=[
                    FilePayload(
                        name="avoir.pdf", mimeType="application/pdf", buffer=PDF
                    )
                ]
            )
            page.get_by_test_id("send-reply").click()

            expect(page.get_by_test_id("notice")).to_be_visible()
            expect(
                page.locator(".timeline .interaction--outbound").last
            ).to_contain_text("est remboursé")
            expect(page.locator("#reply_body")).to_have_value("")
        finally:
            browser.close()

    (sent,) = mail.outbox
    assert sent.from_email == "Service après-vente <sav@boutique.example>"
    assert sent.to == ["elodie.martin@exemple.fr"]
    assert sent.attachments == [("avoir.pdf", PDF, "application/pdf")]
    assert sent.body.startswith(
        f"Bonjour Élodie, le dossier {case.reference} est remboursé.\n"
    )
    assert "Boutique Exemple — SAV" in sent.body
    case.refresh_from_db()
    assert case.priority == CasePriority.HIGH
