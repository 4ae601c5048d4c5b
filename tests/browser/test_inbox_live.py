"""The inbox open in a real browser, at 1440×900 and 390×844: a new customer's
e-mail appears as a new case without reload, and a reply of the customer on the
agent's case puts the unread mark on its row."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone
from playwright.sync_api import ViewportSize, expect, sync_playwright
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import Team, User
from amiable.cases.models import Case
from amiable.inbound.services import email_ingest
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in

LIVE = 12_000  # ms: a poll every 4 s, and a slow shared machine


def customer_email(
    *, sender: str, subject: str, body: str, message_id: str, in_reply_to: str = ""
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "support@amiable.localhost"
    message["Subject"] = subject
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    return message.as_bytes()


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "viewport",
    [{"width": 1440, "height": 900}, {"width": 390, "height": 844}],
    ids=["desktop", "phone"],
)
def test_the_open_inbox_shows_a_new_case_and_an_unread_reply(
    live_server: LiveServer,
    agent: User,
    team: Team,
    password: str,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    viewport: ViewportSize,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.AMIABLE_INBOUND_ACKNOWLEDGE = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first_id = make_msgid(domain="exemple.fr")
    email_ingest(
        raw=customer_email(
            sender="Élodie Martin <elodie.martin@exemple.fr>",
            subject="Colis abîmé",
            body="Mon colis est arrivé abîmé.",
            message_id=first_id,
        ),
        source="smtp",
    )
    mine = Case.objects.get()
    Case.objects.filter(pk=mine.pk).update(team=team, assignee=agent)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(locale="fr-FR", viewport=viewport)
            staff_sign_in(page, live_server.url, "agent", password)
            page.goto(f"{live_server.url}/cases/?view=all")
            rows = page.locator("tr.case-row")
            expect(rows).to_have_count(1)
            page.evaluate("window.amiableNoReload = true")

            email_ingest(
                raw=customer_email(
                    sender="Paul Durand <paul.durand@exemple.fr>",
                    subject="Remboursement en attente",
                    body="Où en est mon remboursement ?",
                    message_id=make_msgid(domain="exemple.fr"),
                ),
                source="smtp",
            )
            expect(rows).to_have_count(2, timeout=LIVE)
            expect(rows.first).to_contain_text("Remboursement en attente")

            email_ingest(
                raw=customer_email(
                    sender="Élodie Martin <elodie.martin@exemple.fr>",
                    subject="Re: Colis abîmé",
                    body="Toujours rien ?",
                    message_id=make_msgid(domain="exemple.fr"),
                    in_reply_to=first_id,
                ),
                source="smtp",
            )
            mine_row = page.locator(f'tr[data-case="{mine.pk}"]')
            expect(mine_row.get_by_test_id("unread")).to_be_visible(timeout=LIVE)
            assert page.evaluate("window.amiableNoReload") is True

            with page.expect_response(lambda response: "/read/" in response.url):
                mine_row.get_by_role("link", name=mine.reference).click()
            page.goto(f"{live_server.url}/cases/?view=all")
            expect(page.locator(f'tr[data-case="{mine.pk}"]')).to_be_visible()
            assert page.locator('[data-testid="unread"]').count() == 0
        finally:
            browser.close()
