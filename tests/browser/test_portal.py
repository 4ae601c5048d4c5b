"""A real browser on the customer portal: open the link from an email, see the
order's tracking timeline (the one page the link opens), sign in with a code sent
by e-mail for the rest, open the case, reply with a file, see the reply."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from amiable.commerce.services import shipment_create, tracking_event_record
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.portal.signing import LinkPage, link_token_make
from amiable.promises.models import PromiseKind
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import (
    CaseFactory,
    CustomerFactory,
    IdentityFactory,
    InteractionFactory,
    OrderFactory,
    OrderLineFactory,
)
from tests.factories.promises import PromiseFactory
from tests.portal.test_codes import code_in


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM,
    reason="AMIABLE_CHROMIUM is not set (scripts/test.sh sets it to /usr/bin/chromium;"
    " install it with apt-get install chromium)",
)
@pytest.mark.django_db(transaction=True)
def test_a_customer_follows_an_order_and_replies_on_a_case(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    customer = CustomerFactory.create(name="Claire Martin", preferred_language="fr")
    IdentityFactory.create(customer=customer, value="claire@exemple.fr")
    placed = timezone.now() - dt.timedelta(days=3)
    order = OrderFactory.create(
        customer=customer, external_ref="CMD-2026-7781", placed_at=placed
    )
    OrderLineFactory.create(order=order)
    PromiseFactory.create(
        customer=customer,
        order=order,
        kind=PromiseKind.DELIVERY,
        description="Livrer la commande CMD-2026-7781",
        made_at=placed,
        due_at=placed + dt.timedelta(days=5),
        original_due_at=placed + dt.timedelta(days=5),
    )
    shipment = shipment_create(
        actor=None,
        order=order,
        carrier="Colissimo",
        tracking_number="6A55500011",
        shipped_at=placed + dt.timedelta(days=1),
    )
    tracking_event_record(
        actor=None,
        shipment=shipment,
        external_id="evt-1",
        status="in_transit",
        occurred_at=placed + dt.timedelta(days=2),
        location="Plateforme de Lyon",
    )
    case = CaseFactory.create(customer=customer, subject="Où en est mon colis ?")
    InteractionFactory.create(
        customer=customer,
        case=case,
        direction=Direction.OUTBOUND,
        body_text="Votre colis est à Lyon, il arrive bientôt.",
    )
    token = link_token_make(
        customer_id=customer.pk, page=LinkPage.ORDER, object_id=order.pk
    )
    photo = tmp_path / "étiquette.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    reply = "Merci, je serai là jeudi."

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(
                locale="fr-FR", viewport={"width": 390, "height": 844}
            )
            page.goto(f"{live_server.url}/portal/l/{token}/")
            expect(page).to_have_url(f"{live_server.url}/portal/orders/{order.pk}/")
            timeline = page.get_by_test_id("order-timeline")
            expect(timeline).to_contain_text("Commande passée")
            expect(timeline).to_contain_text("Expédiée avec Colissimo")
            expect(timeline).to_contain_text("Plateforme de Lyon")
            expect(page.get_by_test_id("step-promised")).to_contain_text(
                "Date de livraison promise"
            )

            # The link opened that order only: the rest needs a code by e-mail.
            page.get_by_role("link", name="Accueil").first.click()
            expect(page.get_by_test_id("link-scope-notice")).to_be_visible()
            page.get_by_label("Votre adresse e-mail").fill("claire@exemple.fr")
            page.get_by_test_id("send-code").click()
            page.get_by_label("Le code à 6 chiffres").fill(code_in(mail.outbox[-1]))
            page.get_by_test_id("verify-code").click()
            page.get_by_test_id("case-link").click()
            expect(page.get_by_test_id("case-messages")).to_contain_text(
                "Votre colis est à Lyon"
            )
            page.get_by_label("Votre message").fill(reply)
            page.get_by_label("Joindre des fichiers (photos, PDF…)").set_input_files(
                str(photo)
            )
            page.get_by_label("Votre message").focus()
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            expect(page.get_by_test_id("send-reply")).to_be_focused()
            page.keyboard.press("Enter")

            expect(page.get_by_test_id("flash")).to_have_text(
                "Votre message a été envoyé. Merci."
            )
            expect(page.get_by_test_id("case-messages")).to_contain_text(reply)
            expect(page.get_by_test_id("case-messages")).to_contain_text(
                "étiquette.png"
            )
        finally:
            browser.close()

    stored = Interaction.objects.get(case=case, direction=Direction.INBOUND)
    assert (stored.channel, stored.body_text) == (Channel.PORTAL, reply)
    assert [a.filename for a in stored.attachments.all()] == ["étiquette.png"]
