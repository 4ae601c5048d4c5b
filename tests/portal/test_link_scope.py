"""Links in messages are single-purpose: the session a link opens reaches the page
it names and nothing else; the whole customer area (other orders and cases, new
requests, the copy of one's data) needs a code sent by e-mail."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from amiable.conversations.models import Direction, Interaction
from amiable.portal.signing import LinkPage
from amiable.privacy.models import DataRequest
from tests.factories import CaseFactory, InteractionFactory, OrderFactory
from tests.factories.portal import AttachmentFactory
from tests.portal.conftest import Someone, link, signed_in


def _asks_for_a_code(response: object, path: str) -> bool:
    location = getattr(response, "headers", {}).get("Location", "")
    return bool(
        getattr(response, "status_code", 0) == 302
        and location == f"/portal/?{urlencode({'next': path})}"
    )


@pytest.mark.django_db
def test_an_order_link_opens_that_order_and_no_other_page(alice: Someone) -> None:
    other_order = OrderFactory.create(customer=alice.customer, external_ref="CMD-A-2")
    client = Client()
    client.get(link(alice.customer, LinkPage.ORDER, alice.order.pk))
    own = f"/portal/orders/{alice.order.pk}/"
    elsewhere = [
        f"/portal/orders/{other_order.pk}/",
        f"/portal/cases/{alice.case.pk}/",
        "/portal/promises/",
        "/portal/requests/new/",
    ]

    opened = client.get(own)
    refused = {path: client.get(path) for path in elsewhere}
    home = client.get("/portal/").content.decode()

    assert opened.status_code == 200
    assert "CMD-A-1" in opened.content.decode()
    assert {p: _asks_for_a_code(r, p) for p, r in refused.items()} == dict.fromkeys(
        elsewhere, True
    )
    assert 'data-testid="link-scope-notice"' in home
    assert "CMD-A-2" not in home
    assert 'data-testid="send-code"' in home


@pytest.mark.django_db
def test_a_case_link_may_read_and_answer_that_case_and_its_files_only(
    alice: Someone,
) -> None:
    own_file = AttachmentFactory.create(
        interaction=InteractionFactory.create(
            customer=alice.customer, case=alice.case, direction=Direction.OUTBOUND
        )
    )
    other_case = CaseFactory.create(customer=alice.customer, subject="Autre")
    other_file = AttachmentFactory.create(
        interaction=InteractionFactory.create(
            customer=alice.customer, case=other_case, direction=Direction.OUTBOUND
        )
    )
    client = Client()
    client.get(link(alice.customer, LinkPage.CASE, alice.case.pk))
    before = Interaction.objects.count()

    answered = client.post(f"/portal/cases/{alice.case.pk}/", {"body": "Merci !"})
    own = client.get(f"/portal/files/{own_file.pk}/")
    other = client.get(f"/portal/files/{other_file.pk}/")
    other_answer = client.post(f"/portal/cases/{other_case.pk}/", {"body": "x"})

    assert answered.status_code == 302
    assert own.status_code == 200
    assert _asks_for_a_code(other, f"/portal/files/{other_file.pk}/")
    assert _asks_for_a_code(other_answer, f"/portal/cases/{other_case.pk}/")
    assert Interaction.objects.count() == before + 1


@pytest.mark.django_db
def test_a_link_never_asks_for_nor_downloads_the_copy_of_the_data(
    alice: Someone,
) -> None:
    client = Client()
    client.get(link(alice.customer, LinkPage.ORDER, alice.order.pk))

    asked = client.post("/portal/my-data/")

    assert _asks_for_a_code(asked, "/portal/my-data/")
    assert DataRequest.objects.count() == 0


@pytest.mark.django_db
def test_a_home_link_shows_the_home_page_but_not_what_it_lists(
    alice: Someone,
) -> None:
    client = Client()
    client.get(link(alice.customer))

    home = client.get("/portal/")
    order = client.get(f"/portal/orders/{alice.order.pk}/")

    assert home.status_code == 200
    assert "CMD-A-1" in home.content.decode()
    assert _asks_for_a_code(order, f"/portal/orders/{alice.order.pk}/")


@pytest.mark.django_db
def test_a_link_followed_while_signed_in_with_a_code_keeps_the_whole_area(
    alice: Someone,
) -> None:
    client = signed_in(alice.customer)

    client.get(link(alice.customer, LinkPage.ORDER, alice.order.pk))

    assert client.get(f"/portal/cases/{alice.case.pk}/").status_code == 200
    assert client.get("/portal/promises/").status_code == 200


@pytest.mark.django_db
def test_a_link_session_may_sign_out_all_links(alice: Someone) -> None:
    old = link(alice.customer, LinkPage.ORDER, alice.order.pk)
    client = Client()
    client.get(old)

    revoked = client.post("/portal/sign-out-links/")

    assert revoked.status_code == 302
    assert Client().get(old).status_code == 410
