"""Delivery of outbound email: retried, and failures written on the interaction."""

from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.tasks import interaction_deliver_task
from tests.factories import IdentityFactory, InteractionFactory
from tests.tasks.mail_backends import FlakyEmailBackend


def _outbound_email() -> Interaction:
    identity = IdentityFactory.create()
    return InteractionFactory.create(
        customer=identity.customer,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        subject="Votre commande",
        body_text="Bonjour, votre colis arrive demain.",
    )


@pytest.mark.django_db
def test_delivery_failing_every_attempt_is_recorded_as_failed(
    settings: SettingsWrapper,
) -> None:
    settings.EMAIL_BACKEND = "tests.tasks.mail_backends.DownEmailBackend"
    settings.TASK_MAX_ATTEMPTS = 2
    interaction = _outbound_email()

    interaction_deliver_task.enqueue(interaction_id=interaction.pk)

    interaction.refresh_from_db()
    metadata = interaction.metadata
    assert {
        key: metadata[key]
        for key in (
            "delivery",
            "delivery_error",
            "delivery_attempts",
            "delivery_max_attempts",
            "delivery_retry_at",
        )
    } == {
        "delivery": "failed",
        "delivery_error": "ConnectionRefusedError: smtp down",
        "delivery_attempts": 2,
        "delivery_max_attempts": 2,
        "delivery_retry_at": None,
    }


@pytest.mark.django_db
def test_delivery_succeeding_on_retry_is_sent(settings: SettingsWrapper) -> None:
    settings.EMAIL_BACKEND = "tests.tasks.mail_backends.FlakyEmailBackend"
    settings.TASK_MAX_ATTEMPTS = 3
    FlakyEmailBackend.sends = 0
    interaction = _outbound_email()

    interaction_deliver_task.enqueue(interaction_id=interaction.pk)

    interaction.refresh_from_db()
    assert (interaction.metadata["delivery"], FlakyEmailBackend.sends) == ("sent", 2)
    assert interaction.metadata["delivery_attempts"] == 1
