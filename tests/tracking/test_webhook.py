"""Carrier events pushed by webhook: HMAC-signed, fresh, idempotent per carrier
event id, unknown tracking numbers kept in quarantine and replayed later."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from amiable.commerce.models import QuarantinedTrackingEvent, TrackingEvent
from amiable.commerce.services import shipment_create
from amiable.commerce.webhooks import signature_make
from tests.factories import OrderFactory, ShipmentFactory

SECRET = "s3cret-webhook-key"  # noqa: S105 (a test key)
URL = "/api/v1/tracking/webhook"


def body_of(number: str, *events: tuple[str, str]) -> bytes:
    return json.dumps(
        {
            "carrier": "Colissimo",
            "events": [
                {
                    "tracking_number": number,
                    "event_id": event_id,
                    "status": status,
                    "occurred_at": "2026-03-03T10:00:00+01:00",
                    "location": "Plateforme de Wissous",
                }
                for event_id, status in events
            ],
        }
    ).encode()


def post(body: bytes, *, secret: str = SECRET, stamp: int | None = None) -> Any:
    timestamp = str(stamp if stamp is not None else int(time.time()))
    return Client().post(
        URL,
        body,
        content_type="application/json",
        headers={
            "X-Amiable-Timestamp": timestamp,
            "X-Amiable-Signature": signature_make(
                secret=secret, timestamp=timestamp, body=body
            ),
        },
    )


@pytest.fixture(autouse=True)
def _secret() -> Any:
    with override_settings(TRACKING_WEBHOOK_SECRET=SECRET):
        yield


@pytest.mark.django_db
def test_a_signed_event_is_recorded_once(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    shipment = ShipmentFactory.create(carrier="Colissimo", tracking_number="6A123")
    body = body_of("6a 123", ("evt-1", "in_transit"))

    with django_capture_on_commit_callbacks(execute=True):
        first = post(body)
        again = post(body)

    assert first.status_code == again.status_code == 200
    assert first.json()["recorded"] == 1
    assert again.json()["duplicates"] == 1
    assert TrackingEvent.objects.get().shipment_id == shipment.pk


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"secret": "wrong"}, "signature_invalid"),
        ({"stamp": int(time.time()) - 3600}, "signature_invalid"),
        ({"stamp": -1}, "signature_invalid"),
    ],
)
@pytest.mark.django_db
def test_a_bad_or_stale_signature_is_refused_and_nothing_is_written(
    change: dict[str, Any], code: str
) -> None:
    ShipmentFactory.create(carrier="Colissimo", tracking_number="6A123")

    response = post(body_of("6A123", ("evt-1", "in_transit")), **change)

    assert response.status_code == 401
    assert response.json()["code"] == code
    assert TrackingEvent.objects.count() == 0


@pytest.mark.django_db
def test_without_a_configured_secret_webhooks_are_refused() -> None:
    with override_settings(TRACKING_WEBHOOK_SECRET=""):
        response = post(body_of("6A123", ("evt-1", "in_transit")))

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
def test_a_signed_but_malformed_body_names_the_bad_field() -> None:
    response = post(body_of("6A123", ("evt-1", "teleported")))

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["fields"]) == ["events.0.status"]


@pytest.mark.django_db
def test_unknown_numbers_wait_in_quarantine_and_join_their_shipment_later(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    body = body_of("8R999", ("evt-7", "in_transit"), ("evt-8", "out_for_delivery"))

    first = post(body)
    replay = post(body)
    held = list(QuarantinedTrackingEvent.objects.order_by("external_id"))
    with django_capture_on_commit_callbacks(execute=True):
        shipment = shipment_create(
            actor=None,
            order=OrderFactory.create(),
            carrier="colissimo",
            tracking_number="8r999",
        )

    assert first.json()["quarantined"] == 2
    assert replay.json()["duplicates"] == 2
    assert [event.external_id for event in held] == ["evt-7", "evt-8"]
    assert list(shipment.events.values_list("external_id", flat=True)) == [
        "evt-7",
        "evt-8",
    ]
    assert (
        QuarantinedTrackingEvent.objects.filter(resolved_at__isnull=True).count() == 0
    )
    shipment.refresh_from_db()
    assert shipment.status == "out_for_delivery"


@pytest.mark.parametrize(
    ("role", "status"),
    [("agent", 403), ("other_agent", 403), ("supervisor", 200), ("admin_user", 200)],
)
@pytest.mark.django_db
def test_the_quarantine_is_for_supervisors(
    request: pytest.FixtureRequest,
    token_for: Callable[[Any], str],
    role: str,
    status: int,
) -> None:
    post(body_of("8R999", ("evt-7", "in_transit")))
    user = request.getfixturevalue(role)
    client = Client(headers={"Authorization": f"Bearer {token_for(user)}"})

    response = client.get("/api/v1/tracking/quarantine")

    assert response.status_code == status
    if status == 200:
        assert [item["external_id"] for item in response.json()["items"]] == ["evt-7"]


@pytest.mark.django_db
def test_the_quarantine_asks_for_a_token() -> None:
    assert Client().get("/api/v1/tracking/quarantine").status_code == 401
