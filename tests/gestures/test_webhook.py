"""The signed outbound webhook, against a real HTTP server on loopback: a receiver
that fails then succeeds gets the gesture twice, signed, and it is delivered once."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from cryptography.fernet import Fernet
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.gestures.models import DeliveryStatus, GestureDelivery, GestureType
from amiable.gestures.services import gesture_propose, gesture_settings_update

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
SECRET = "s3cret-partagé"


class Receiver(ThreadingHTTPServer):
    def __init__(self, failures: int) -> None:
        super().__init__(("127.0.0.1", 0), ReceiverHandler)
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hooks/gestures"


class ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers.items()), body))
        failing = len(self.server.received) <= self.server.failures
        self.send_response(503 if failing else 204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        return


def serve(failures: int) -> Iterator[Receiver]:
    server = Receiver(failures)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def flaky_receiver() -> Iterator[Receiver]:
    yield from serve(failures=1)


@pytest.fixture
def dead_receiver() -> Iterator[Receiver]:
    yield from serve(failures=100)


def apply(agent: User, case: Case, voucher: GestureType, on_commit: OnCommit) -> int:
    with on_commit(execute=True):
        proposal = gesture_propose(
            actor=agent,
            customer=case.customer,
            case=case,
            gesture_type=voucher,
            reason=voucher.reasons.get(),
            value=Decimal("12.50"),
        )
    return proposal.gesture.pk


def test_a_failing_then_succeeding_receiver_gets_it_signed_and_once_delivered(
    flaky_receiver: Receiver,
    agent: User,
    case: Case,
    voucher: GestureType,
    settings: SettingsWrapper,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    settings.TASK_MAX_ATTEMPTS = 3
    gesture_settings_update(
        actor=None, webhook_url=flaky_receiver.url, webhook_secret=SECRET
    )

    gesture_id = apply(agent, case, voucher, django_capture_on_commit_callbacks)

    delivery = GestureDelivery.objects.get(gesture_id=gesture_id)
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        DeliveryStatus.DELIVERED,
        2,
        204,
    )
    assert len(flaky_receiver.received) == 2
    for headers, body in flaky_receiver.received:
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Amiable-Signature"] == f"sha256={expected}"
        assert headers["X-Amiable-Delivery"] == f"gesture-{gesture_id}"
    payload = json.loads(flaky_receiver.received[1][1])
    assert payload["event"] == "gesture.applied"
    assert payload["gesture"]["value"] == "12.50"
    assert payload["gesture"]["case_reference"] == case.reference
    assert payload["gesture"]["customer_name"] == "Hélène Dubois"


def test_a_dead_receiver_is_tried_up_to_the_limit_and_left_failed(
    dead_receiver: Receiver,
    agent: User,
    case: Case,
    voucher: GestureType,
    settings: SettingsWrapper,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    settings.TASK_MAX_ATTEMPTS = 3
    gesture_settings_update(
        actor=None, webhook_url=dead_receiver.url, webhook_secret=SECRET
    )

    gesture_id = apply(agent, case, voucher, django_capture_on_commit_callbacks)

    delivery = GestureDelivery.objects.get(gesture_id=gesture_id)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.FAILED,
        3,
        "HTTP 503",
    )
    assert len(dead_receiver.received) == 3


def test_without_a_webhook_nothing_is_sent(
    agent: User,
    case: Case,
    voucher: GestureType,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    apply(agent, case, voucher, django_capture_on_commit_callbacks)

    assert GestureDelivery.objects.count() == 0


def test_a_secret_no_key_opens_fails_the_delivery_clearly_and_sends_nothing(
    flaky_receiver: Receiver,
    agent: User,
    case: Case,
    voucher: GestureType,
    settings: SettingsWrapper,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    settings.TASK_MAX_ATTEMPTS = 2
    settings.AMIABLE_SECRETS_KEYS = [Fernet.generate_key().decode()]
    gesture_settings_update(
        actor=None, webhook_url=flaky_receiver.url, webhook_secret=SECRET
    )
    settings.AMIABLE_SECRETS_KEYS = [Fernet.generate_key().decode()]  # key lost

    gesture_id = apply(agent, case, voucher, django_capture_on_commit_callbacks)

    delivery = GestureDelivery.objects.get(gesture_id=gesture_id)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 2)
    assert "AMIABLE_SECRETS_KEY" in delivery.last_error
    assert flaky_receiver.received == []
