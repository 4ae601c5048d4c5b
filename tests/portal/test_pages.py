"""The portal's pages through their real entry points: the order timeline, a
renegotiated promise with both dates (checked by), replying with files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amiable.accounts.models import User
from amiable.cases.models import CaseStatus
from amiable.commerce.services import shipment_create, tracking_event_record
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.promises.models import PromiseKind, PromiseState
from tests.factories import CaseFactory, InteractionFactory, OrderFactory
from tests.factories.promises import PromiseFactory
from tests.portal.conftest import Someone, signed_in

PARIS = dt.timezone(dt.timedelta(hours=1))


@pytest.mark.django_db
def test_a_renegotiated_promise_shows_both_dates_on_the_portal(
    api_client: Client, alice: Someone, agent: User
) -> None:
    case = CaseFactory.create(customer=alice.customer, team=agent.team)
    promise = PromiseFactory.create(
        customer=alice.customer,
        case=case,
        order=alice.order,
        kind=PromiseKind.REFUND,
        description="Remboursement de la théière",
        made_at=timezone.now() - dt.timedelta(days=2),
        due_at=dt.datetime(2030, 3, 10, 17, 0, tzinfo=PARIS),
        original_due_at=dt.datetime(2030, 3, 10, 17, 0, tzinfo=PARIS),
    )

    renegotiated = api_client.post(
        f"/api/v1/promises/{promise.pk}/renegotiate",
        {
            "due_at": "2030-03-24T17:00:00+01:00",
            "reason": "Le transporteur a perdu le retour.",
            "is_customer_told": True,
        },
        content_type="application/json",
    )
    client = signed_in(alice.customer)
    case_page = client.get(f"/portal/cases/{case.pk}/").content.decode()
    promises_page = client.get("/portal/promises/").content.decode()

    assert renegotiated.status_code == 200
    assert renegotiated.json()["state"] == PromiseState.RENEGOTIATED
    both = (
        "Promis d’abord pour le <s>10 mars 2030</s>, désormais pour le "
        "<strong>24 mars 2030</strong>."
    )
    assert both in case_page
    assert both in promises_page


@pytest.mark.django_db
def test_the_order_page_shows_placed_shipped_events_promised_and_delivered(
    alice: Someone,
) -> None:
    placed = dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)
    order = OrderFactory.create(customer=alice.customer, placed_at=placed)
    PromiseFactory.create(
        customer=alice.customer,
        order=order,
        kind=PromiseKind.DELIVERY,
        description="Livrer la commande",
        made_at=placed,
        due_at=dt.datetime(2026, 4, 6, 21, 59, 59, tzinfo=dt.UTC),
        original_due_at=dt.datetime(2026, 4, 6, 21, 59, 59, tzinfo=dt.UTC),
    )
    shipment = shipment_create(
        actor=None,
        order=order,
        carrier="Colissimo",
        tracking_number="6A000111",
        shipped_at=placed + dt.timedelta(days=1),
    )
    for index, (status, location) in enumerate(
        [("in_transit", "Plateforme de Lyon"), ("exception", "Adresse incomplète")]
    ):
        tracking_event_record(
            actor=None,
            shipment=shipment,
            external_id=f"e{index}",
            status=status,
            occurred_at=placed + dt.timedelta(days=2 + index),
            location=location,
        )

    body = signed_in(alice.customer).get(f"/portal/orders/{order.pk}/").content.decode()

    steps = [
        "Commande passée",
        "Expédiée avec Colissimo",
        "En transit",
        "Plateforme de Lyon",
        "Incident",
        "Adresse incomplète",
        "Date de livraison promise",
    ]
    positions = [body.index(step) for step in steps]
    assert positions == sorted(positions)
    assert "6 avril 2026" in body
    assert "Que faire en cas de retard" in body


@pytest.mark.django_db
def test_alice_replies_with_a_file_and_the_case_reopens(
    alice: Someone, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    waiting = CaseFactory.create(
        customer=alice.customer, status=CaseStatus.WAITING_CUSTOMER
    )
    client = signed_in(alice.customer)
    photo = SimpleUploadedFile("colis abîmé.png", b"\x89PNG\r\n\x1a\n0000", "image/png")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/portal/cases/{waiting.pk}/",
            {"body": "Voici la photo du colis.", "attachments": [photo]},
        )
    page = client.get(response["Location"]).content.decode()

    message = Interaction.objects.get(case=waiting)
    waiting.refresh_from_db()
    assert response.status_code == 302
    assert (message.channel, message.direction, message.body_text) == (
        Channel.PORTAL,
        Direction.INBOUND,
        "Voici la photo du colis.",
    )
    assert [a.filename for a in message.attachments.all()] == ["colis abîmé.png"]
    assert waiting.status == CaseStatus.OPEN
    assert "Votre message a été envoyé. Merci." in page
    assert "colis abîmé.png" in page


@pytest.mark.django_db
def test_an_empty_reply_is_refused_and_nothing_is_written(alice: Someone) -> None:
    client = signed_in(alice.customer)

    response = client.post(f"/portal/cases/{alice.case.pk}/", {"body": "   "})

    assert response.status_code == 422
    assert "Écrivez un message ou joignez un fichier." in response.content.decode()
    assert Interaction.objects.filter(case=alice.case).count() == 0


@pytest.mark.django_db
def test_a_program_disguised_as_a_photo_is_refused(alice: Someone) -> None:
    client = signed_in(alice.customer)
    program = SimpleUploadedFile("photo.png", b"MZ\x90\x00", "image/png")

    response = client.post(
        f"/portal/cases/{alice.case.pk}/",
        {"body": "Regardez", "attachments": [program]},
    )

    assert response.status_code == 422
    assert Interaction.objects.filter(case=alice.case).count() == 0
    assert "Regardez" in response.content.decode()  # the typed text is kept


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def _add_rows(someone: Someone, count: int) -> None:
    for index in range(count):
        PromiseFactory.create(
            customer=someone.customer, case=someone.case, order=someone.order
        )
        InteractionFactory.create(
            customer=someone.customer,
            case=someone.case,
            direction=Direction.OUTBOUND,
            body_text=f"Message {index}",
        )


@pytest.mark.django_db
def test_portal_pages_cost_the_same_with_more_rows(alice: Someone) -> None:
    client = signed_in(alice.customer)
    paths = [
        "/portal/",
        f"/portal/cases/{alice.case.pk}/",
        f"/portal/orders/{alice.order.pk}/",
        "/portal/promises/",
    ]
    _add_rows(alice, 1)
    few = [_queries(client, path) for path in paths]
    _add_rows(alice, 15)

    many = [_queries(client, path) for path in paths]

    # The case page includes the gestures panel of the case (one query); the home
    # page the customer's copies of their data (one query).
    assert few == many == [6, 7, 7, 3]
