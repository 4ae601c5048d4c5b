"""Two agents on one case in real browsers, at 1440×900 and 390×844: each sees
the other (« Marie consulte ce dossier », « Marie répond »); a customer's e-mail,
taken in by the inbound service while the page is open, appears without reload;
a colleague's reply sent meanwhile stops the agent's once, with their text kept,
until they send anyway."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, ViewportSize, expect, sync_playwright
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from amiable.accounts.models import Team, User
from amiable.cases.models import Case
from amiable.conversations.models import Direction
from amiable.inbound.services import email_ingest
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS, staff_sign_in
from tests.factories import UserFactory

LIVE = 12_000  # ms: a poll every 4 s, and a slow shared machine
# The page's content fits the window (the header's menu is the layout's own test).
NO_OVERFLOW = """() => [...document.querySelectorAll('#main *')].every(
  (element) => element.getBoundingClientRect().right <= window.innerWidth + 1)"""


def customer_email(*, body: str, message_id: str = "", in_reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = "Élodie Martin <elodie.martin@exemple.fr>"
    message["To"] = "support@amiable.localhost"
    message["Subject"] = "Colis abîmé"
    message["Date"] = format_datetime(timezone.now())
    message["Message-ID"] = message_id or make_msgid(domain="exemple.fr")
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    return message.as_bytes()


def open_case(
    browser: Browser,
    base: str,
    username: str,
    password: str,
    case: Case,
    viewport: ViewportSize,
) -> Page:
    page = browser.new_context(locale="fr-FR", viewport=viewport).new_page()
    staff_sign_in(page, base, username, password)
    page.goto(f"{base}/cases/{case.pk}/")
    page.evaluate("window.amiableNoReload = true")
    return page


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
def test_two_agents_see_each_other_the_customer_and_the_reply_meanwhile(
    live_server: LiveServer,
    agent: User,
    team: Team,
    password: str,
    settings: SettingsWrapper,
    monkeypatch: pytest.MonkeyPatch,
    viewport: ViewportSize,
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.AMIABLE_INBOUND_ACKNOWLEDGE = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    UserFactory.create(username="marie", first_name="Marie", last_name="Roy", team=team)
    first_id = make_msgid(domain="exemple.fr")
    email_ingest(
        raw=customer_email(body="Mon colis est arrivé abîmé.", message_id=first_id),
        source="smtp",
    )
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(team=team, assignee=agent)
    base = live_server.url

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            mine = open_case(browser, base, "agent", password, case, viewport)
            marie = open_case(browser, base, "marie", password, case, viewport)

            presence = mine.get_by_test_id("presence-line")
            expect(presence).to_have_text("Marie consulte ce dossier", timeout=LIVE)
            marie.locator("#reply_body").press_sequentially("Bonjour Élodie")
            expect(presence).to_have_text("Marie répond", timeout=LIVE)

            email_ingest(
                raw=customer_email(
                    body="Toujours rien de votre part ?", in_reply_to=first_id
                ),
                source="smtp",
            )
            expect(mine.locator(".timeline .interaction--inbound")).to_have_count(
                2, timeout=LIVE
            )
            expect(mine.locator(".timeline")).to_contain_text(
                "Toujours rien de votre part ?"
            )

            mine.locator("#reply_body").fill("Nous renvoyons un colis demain.")
            marie.locator("#reply_body").fill("Je m’en occupe, Élodie.")
            marie.get_by_test_id("send-reply").click()
            expect(marie.get_by_test_id("notice")).to_be_visible()
            expect(mine.get_by_test_id("replied-meanwhile-live")).to_be_visible(
                timeout=LIVE
            )
            mine.get_by_test_id("send-reply").click()

            warning = mine.get_by_test_id("replied-meanwhile")
            expect(warning).to_contain_text(
                "Marie Roy a répondu au client pendant que vous écriviez"
            )
            expect(mine.locator("#reply_body")).to_have_value(
                "Nous renvoyons un colis demain."
            )
            assert mine.evaluate(NO_OVERFLOW), "the case page is wider than the window"
            mine.get_by_test_id("send-anyway").click()
            expect(mine.get_by_test_id("notice")).to_have_text("Réponse envoyée.")
            assert mine.evaluate("window.amiableNoReload") is True
        finally:
            browser.close()

    replies = case.interactions.filter(direction=Direction.OUTBOUND).order_by("id")
    assert [reply.body_text for reply in replies] == [
        "Je m’en occupe, Élodie.",
        "Nous renvoyons un colis demain.",
    ]
