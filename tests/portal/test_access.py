"""Checked by: a portal link for customer A returns 404 for customer B's order (and
case, and files); links are signed and expire; no password anywhere."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from amiable.conversations.models import Channel, Direction, Interaction
from amiable.core.panels import (
    Panel,
    PanelRequest,
    PanelSlot,
    panel_register,
    panel_unregister,
)
from amiable.portal.sessions import SESSION_CUSTOMER, SESSION_UNTIL
from amiable.portal.signing import LinkPage
from tests.factories import InteractionFactory
from tests.factories.portal import AttachmentFactory
from tests.portal.conftest import Someone, link, signed_in


@pytest.mark.django_db
def test_a_link_for_alice_opens_her_order_and_404s_on_bobs(
    alice: Someone, bob: Someone
) -> None:
    client = Client()
    signed_in_with_a_code = signed_in(alice.customer)

    opened = client.get(link(alice.customer, LinkPage.ORDER, alice.order.pk))
    own = client.get(opened["Location"])
    foreign_order = signed_in_with_a_code.get(f"/portal/orders/{bob.order.pk}/")
    foreign_case = signed_in_with_a_code.get(f"/portal/cases/{bob.case.pk}/")

    assert opened.status_code == 302
    assert opened["Location"] == f"/portal/orders/{alice.order.pk}/"
    assert own.status_code == 200
    assert "CMD-A-1" in own.content.decode()
    assert foreign_order.status_code == 404
    assert foreign_case.status_code == 404
    for response in (foreign_order, foreign_case):
        body = response.content.decode()
        assert "CMD-B-1" not in body
        assert "Bob" not in body
        assert "Nous ne trouvons pas cette page" in body


@pytest.mark.django_db
def test_a_link_naming_bobs_order_for_alice_still_shows_nothing_of_bob(
    alice: Someone, bob: Someone
) -> None:
    client = Client()

    opened = client.get(link(alice.customer, LinkPage.ORDER, bob.order.pk))
    followed = client.get(opened["Location"])

    assert followed.status_code == 404
    assert "CMD-B-1" not in followed.content.decode()


@pytest.mark.django_db
def test_alice_cannot_download_bobs_file_nor_post_on_his_case(
    alice: Someone, bob: Someone
) -> None:
    message = InteractionFactory.create(
        customer=bob.customer, case=bob.case, direction=Direction.OUTBOUND
    )
    file = AttachmentFactory.create(interaction=message)
    client = signed_in(alice.customer)
    before = Interaction.objects.count()

    download = client.get(f"/portal/files/{file.pk}/")
    posted = client.post(f"/portal/cases/{bob.case.pk}/", {"body": "Coucou"})

    assert (download.status_code, posted.status_code) == (404, 404)
    assert Interaction.objects.count() == before


@pytest.mark.parametrize(
    "path", ["/portal/orders/{order}/", "/portal/cases/{case}/", "/portal/promises/"]
)
@pytest.mark.django_db
def test_without_a_link_or_code_the_portal_asks_to_sign_in(
    alice: Someone, path: str
) -> None:
    url = path.format(order=alice.order.pk, case=alice.case.pk)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"/portal/?{urlencode({'next': url})}"


@pytest.mark.django_db
def test_a_tampered_link_is_refused(alice: Someone) -> None:
    good = link(alice.customer)
    tampered = good[:-3] + ("A" if good[-3] != "A" else "B") + good[-2:]

    response = Client().get(tampered)

    assert response.status_code == 404
    assert "Ce lien n’est pas valide" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_link_says_so_in_the_customers_language(bob: Someone) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(days=15), tick=False):
        old = link(bob.customer)

    response = Client().get(old)

    assert response.status_code == 410
    assert response["Content-Language"] == "en"
    assert "This link has expired" in response.content.decode()


@pytest.mark.django_db
def test_a_staff_session_is_not_a_portal_session(
    web_client: Client, alice: Someone
) -> None:
    response = web_client.get(f"/portal/orders/{alice.order.pk}/")

    assert response.status_code == 302


@pytest.mark.django_db
def test_the_portal_is_never_cached_and_speaks_the_customers_language(
    bob: Someone,
) -> None:
    client = signed_in(bob.customer)

    response = client.get("/portal/")

    assert response["Cache-Control"] == "no-store"
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()
    assert "Your orders" in response.content.decode()


@pytest.mark.django_db
def test_the_case_page_shows_public_messages_only(alice: Someone) -> None:
    for channel, direction, text in [
        (Channel.EMAIL, Direction.INBOUND, "Où est mon colis ?"),
        (Channel.EMAIL, Direction.OUTBOUND, "Il arrive demain."),
        (Channel.NOTE, Direction.INTERNAL, "Client pénible, attention"),
        (Channel.SYSTEM, Direction.INTERNAL, "Promesse faite : rappel"),
        (Channel.PHONE, Direction.OUTBOUND, "Notes d’appel internes"),
    ]:
        InteractionFactory.create(
            customer=alice.customer,
            case=alice.case,
            channel=channel,
            direction=direction,
            body_text=text,
        )

    body = (
        signed_in(alice.customer)
        .get(f"/portal/cases/{alice.case.pk}/")
        .content.decode()
    )

    assert "Où est mon colis ?" in body
    assert "Il arrive demain." in body
    assert "Client pénible" not in body
    assert "Promesse faite" not in body
    assert "Notes d’appel" not in body


@pytest.mark.django_db
def test_portal_panels_never_see_a_staff_actor(
    web_client: Client, alice: Someone
) -> None:
    seen: list[object] = []

    def spy(panel: PanelRequest) -> dict[str, object]:
        seen.append(panel.actor)
        return {}

    panel_register(
        Panel(
            slot=PanelSlot.PORTAL_ORDER,
            name="tests.spy",
            template="portal/field.html",
            context=spy,
        )
    )
    try:
        # A staff member's browser where the customer signed in (a code, say).
        session = web_client.session
        session[SESSION_CUSTOMER] = alice.customer.pk
        session[SESSION_UNTIL] = (timezone.now() + dt.timedelta(hours=1)).isoformat()
        session.save()
        response = web_client.get(f"/portal/orders/{alice.order.pk}/")
    finally:
        panel_unregister("tests.spy")

    assert response.status_code == 200
    assert seen == [None]
