"""Two workers, each with its own database connection, ingest the same 500 messages
at once (one in order, one in reverse): exactly 500 interactions result."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import DatabaseError, connection
from pytest_django.fixtures import Settings

from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.customers.models import Customer, Identity
from amiable.inbound.models import InboundEmail
from amiable.inbound.services import email_ingest
from tests.inbound.conftest import build_email

MESSAGES = 500
SENDERS = 120


def _corpus() -> list[bytes]:
    messages = []
    for number in range(MESSAGES):
        sender = number % SENDERS
        messages.append(
            build_email(
                sender=f"Client {sender} <client{sender}@exemple.fr>",
                subject=f"Demande n°{number}",
                body=f"Bonjour, ceci est le message {number}.",
                # a fifth of them without Message-ID: deduplicated by content hash
                message_id=None if number % 5 == 0 else f"<m{number}@exemple.fr>",
            )
        )
    return messages


def _worker(messages: list[bytes], errors: list[BaseException]) -> None:
    try:
        for raw in messages:
            for attempt in range(20):
                try:
                    email_ingest(raw=raw, source="smtp")
                    break
                except DatabaseError:  # a deadlock or lock timeout: the MTA retries
                    if attempt == 19:
                        raise
                    time.sleep(0.05 * (attempt + 1))
    except BaseException as exc:  # noqa: BLE001 (reported to the test thread)
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_two_workers_ingesting_the_same_500_messages_store_each_once(
    settings: Settings,
) -> None:
    settings.AMIABLE_AUTO_MESSAGES_PER_ADDRESS_PER_DAY = 1
    messages = _corpus()
    errors: list[BaseException] = []
    workers = [
        threading.Thread(target=_worker, args=(messages, errors)),
        threading.Thread(target=_worker, args=(list(reversed(messages)), errors)),
    ]

    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(600)

    assert errors == []
    assert InboundEmail.objects.count() == MESSAGES
    assert Interaction.objects.filter(direction=Direction.INBOUND).count() == MESSAGES
    assert Case.objects.count() == MESSAGES
    assert Customer.objects.count() == SENDERS
    assert Identity.objects.count() == SENDERS
    assert Interaction.objects.filter(direction=Direction.OUTBOUND).count() == SENDERS
