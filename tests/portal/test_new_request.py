"""« New request » on the portal: it opens a case through the cases service
(channel portal), acknowledges it with the reference, lists it; bad input is
shown again with the customer's text; too many requests in an hour are refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseKind, CaseStatus
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.core.errors import ValidationError
from amiable.portal.errors import PortalRateLimitedError
from amiable.portal.requests import portal_request_open
from tests.factories import OrderFactory
from tests.portal.conftest import Someone, signed_in

NEW = "/portal/requests/new/"


@pytest.mark.django_db
def test_alice_opens_a_request_about_an_order_with_a_photo(alice: Someone) -> None:
    client = signed_in(alice.customer)
    photo = SimpleUploadedFile(
        "carton écrasé.jpg", b"\xff\xd8\xff\xe0rest", "image/jpeg"
    )

    response = client.post(
        NEW,
        {
            "topic": "delivery",
            "order": alice.order.pk,
            "body": "Le carton est arrivé écrasé.",
            "attachments": [photo],
        },
    )

    case = Case.objects.exclude(pk=alice.case.pk).get(customer=alice.customer)
    assert response.status_code == 302
    assert response["Location"] == f"/portal/requests/{case.pk}/sent/"
    assert (case.channel, case.kind, case.status) == (
        Channel.PORTAL,
        CaseKind.REQUEST,
        CaseStatus.NEW,
    )
    assert case.subject == "Livraison d’une commande — commande CMD-A-1"
    assert list(case.orders.all()) == [alice.order]
    message = Interaction.objects.get(case=case)
    assert (message.channel, message.direction, message.body_text) == (
        Channel.PORTAL,
        Direction.INBOUND,
        "Le carton est arrivé écrasé.",
    )
    assert [a.filename for a in message.attachments.all()] == ["carton écrasé.jpg"]
    assert AuditEvent.objects.filter(
        action="portal.request_open", object_id=str(case.pk)
    ).exists()
    ack = client.get(response["Location"]).content.decode()
    assert case.reference in ack
    assert "nous avons bien reçu votre demande" in ack
    home = client.get("/portal/").content.decode()
    assert case.reference in home


@pytest.mark.django_db
def test_the_page_speaks_english_to_bob_and_lists_only_his_orders(
    alice: Someone, bob: Someone
) -> None:
    client = signed_in(bob.customer)

    page = client.get(NEW).content.decode()

    assert "New request" in page
    assert "What is it about?" in page
    assert "CMD-B-1" in page
    assert "CMD-A-1" not in page


@pytest.mark.django_db
def test_the_order_page_link_chooses_the_order(alice: Someone) -> None:
    client = signed_in(alice.customer)

    page = client.get(f"{NEW}?order={alice.order.pk}").content.decode()

    assert f'<option value="{alice.order.pk}" selected>' in page


@pytest.mark.django_db
def test_another_customers_order_is_refused_and_the_text_kept(
    alice: Someone, bob: Someone
) -> None:
    client = signed_in(alice.customer)

    response = client.post(
        NEW, {"topic": "return", "order": bob.order.pk, "body": "Je veux rendre ça"}
    )

    assert response.status_code == 422
    assert "Je veux rendre ça" in response.content.decode()
    assert Case.objects.filter(customer=alice.customer).count() == 1


@pytest.mark.django_db
def test_an_empty_message_and_no_topic_are_named(alice: Someone) -> None:
    client = signed_in(alice.customer)

    response = client.post(NEW, {"topic": "", "body": "   "})

    page = response.content.decode()
    assert response.status_code == 422
    assert page.count('class="field-error"') == 2
    assert Case.objects.filter(customer=alice.customer).count() == 1


@pytest.mark.django_db
def test_a_program_is_refused_like_an_email_attachment(alice: Someone) -> None:
    client = signed_in(alice.customer)
    program = SimpleUploadedFile("facture.pdf.exe", b"MZ\x90\x00", "application/pdf")

    response = client.post(
        NEW, {"topic": "other", "body": "Voir pièce jointe", "attachments": [program]}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "Voir pièce jointe" in page
    assert "facture.pdf.exe" in page
    assert Case.objects.filter(customer=alice.customer).count() == 1


@pytest.mark.django_db
def test_without_csrf_token_the_post_is_refused(alice: Someone) -> None:
    client = signed_in(alice.customer)
    client.handler.enforce_csrf_checks = True

    response = client.post(NEW, {"topic": "other", "body": "Bonjour"})

    assert response.status_code == 403
    assert Case.objects.filter(customer=alice.customer).count() == 1


@pytest.mark.django_db
def test_signed_out_visitors_go_to_sign_in(db: None) -> None:
    response = Client().get(NEW)

    assert response.status_code == 302
    assert response["Location"] == "/portal/?next=%2Fportal%2Frequests%2Fnew%2F"


@pytest.mark.django_db
def test_anothers_acknowledgement_is_not_found(alice: Someone, bob: Someone) -> None:
    client = signed_in(alice.customer)

    response = client.get(f"/portal/requests/{bob.case.pk}/sent/")

    assert response.status_code == 404
    assert bob.case.reference not in response.content.decode()


@pytest.mark.django_db
@override_settings(PORTAL_REQUESTS_PER_HOUR=2)
def test_the_third_request_within_the_hour_is_refused(alice: Someone) -> None:
    client = signed_in(alice.customer)
    for index in range(2):
        sent = client.post(NEW, {"topic": "other", "body": f"Demande {index}"})
        assert sent.status_code == 302

    refused = client.post(NEW, {"topic": "other", "body": "Encore une"})

    assert refused.status_code == 429
    assert "Encore une" in refused.content.decode()
    assert Case.objects.filter(customer=alice.customer).count() == 3


@pytest.mark.django_db
def test_the_service_refuses_an_unknown_topic_and_a_foreign_order(
    alice: Someone, bob: Someone
) -> None:
    with pytest.raises(ValidationError) as refused:
        portal_request_open(
            customer=alice.customer,
            topic="lottery",
            body_text="x" * 20_001,
            order=bob.order,
        )

    assert set(refused.value.fields) == {"topic", "body", "order"}


@pytest.mark.django_db
@override_settings(PORTAL_REQUESTS_PER_HOUR=1)
def test_the_service_limit_counts_only_portal_requests(alice: Someone) -> None:
    # alice.case came by email: it does not count.
    portal_request_open(customer=alice.customer, topic="product", body_text="Taille ?")

    with pytest.raises(PortalRateLimitedError):
        portal_request_open(customer=alice.customer, topic="product", body_text="Et ?")


@pytest.mark.django_db
def test_the_form_costs_the_same_with_more_orders(alice: Someone) -> None:
    client = signed_in(alice.customer)

    def cost() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(NEW).status_code == 200
        return len(captured)

    few = cost()
    OrderFactory.create_batch(12, customer=alice.customer)

    assert cost() == few
