"""A real browser: a signed-in customer opens a new request about an order with
a photo, sees its reference, and finds it in their requests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.cases.models import Case
from amiable.conversations.models import Channel, Interaction
from amiable.portal.signing import LinkPage, link_token_make
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import CustomerFactory, IdentityFactory, OrderFactory
from tests.portal.conftest import portal_session_key


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM, reason="AMIABLE_CHROMIUM is not set")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("language", "viewport"),
    [("fr", {"width": 390, "height": 844}), ("en", {"width": 1440, "height": 900})],
)
def test_a_customer_opens_a_new_request_from_the_portal(
    live_server: LiveServer,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    language: str,
    viewport: dict[str, int],
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    customer = CustomerFactory.create(name="Inès Roy", preferred_language=language)
    IdentityFactory.create(customer=customer, value="ines@exemple.fr")
    order = OrderFactory.create(customer=customer, external_ref="CMD-2026-0042")
    token = link_token_make(customer_id=customer.pk, page=LinkPage.HOME)
    photo = tmp_path / "colis.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    words = {
        "fr": ("Nouvelle demande", "Livraison d’une commande", "Votre message",
               "Joindre des fichiers (photos, PDF…)", "Votre message"),
        "en": ("New request", "Delivery of an order", "Your message",
               "Attach files (photos, PDF…)", "Your message"),
    }[language]  # fmt: skip

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
            # The whole customer area, as a code opens it (a link opens one page).
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": portal_session_key(customer),
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            page.goto(f"{live_server.url}/portal/l/{token}/")
            page.get_by_test_id("new-request").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(words[0])
            page.get_by_role("combobox").first.select_option(label=words[1])
            page.get_by_role("combobox").nth(1).select_option(str(order.pk))
            # First without a message: the browser asks for it, nothing is sent.
            page.get_by_test_id("send-request").click()
            field = page.get_by_label(words[2])
            assert field.evaluate("field => field.validity.valueMissing")
            assert not Case.objects.filter(customer=customer).exists()
            field.fill("Le colis n’est pas arrivé.")
            page.get_by_label(words[3]).set_input_files(str(photo))
            page.get_by_test_id("send-request").click()

            case = Case.objects.get(customer=customer)
            expect(page.get_by_test_id("request-ack")).to_contain_text(case.reference)
            assert page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth"
            )
            page.get_by_test_id("request-open").click()
            expect(page.get_by_test_id("case-messages")).to_contain_text("colis.png")
            page.goto(f"{live_server.url}/portal/")
            expect(page.get_by_test_id("case-link")).to_contain_text(case.reference)
        finally:
            browser.close()

    message = Interaction.objects.get(case=case)
    assert message.channel == Channel.PORTAL
    assert list(case.orders.all()) == [order]
