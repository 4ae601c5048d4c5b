"""Delivery of outbound email: retried, and failures written on the interaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.db import transaction
from pytest_django.fixtures import Settings as SettingsWrapper

from amiable.accounts.models import Role
from amiable.cases.services import case_reply
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.tasks import interaction_deliver_task
from amiable.core.clock import now
from amiable.events.relay import events_relay
from tests.factories import (
    CaseFactory,
    IdentityFactory,
    InteractionFactory,
    UserFactory,
)
from tests.tasks.mail_backends import FlakyEmailBackend

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


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


def _reply_committed(capture: OnCommit, *, execute: bool) -> Interaction:
    """An agent's reply, committed; with ``execute=False`` the process dies right
    after the commit: nothing it would enqueue then is enqueued."""
    case = CaseFactory.create()
    IdentityFactory.create(customer=case.customer)
    agent = UserFactory.create(role=Role.AGENT, team=case.team)
    with capture(execute=execute), transaction.atomic():
        return case_reply(actor=agent, case=case, body_text="Votre colis part demain.")


@pytest.mark.django_db
def test_a_reply_whose_delivery_enqueue_was_lost_is_sent_by_the_relay(
    settings: SettingsWrapper,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    settings.AMIABLE_EVENTS_RELAY_AFTER_SECONDS = 5
    reply = _reply_committed(django_capture_on_commit_callbacks, execute=False)
    assert mailoutbox == []

    relayed = events_relay(at=now() + dt.timedelta(seconds=6))
    again = events_relay(at=now() + dt.timedelta(minutes=2))

    reply.refresh_from_db()
    handlers = [name for item in relayed for name in item.handlers]
    assert "amiable.conversations.handlers.interaction_deliver_on_request" in handlers
    assert again == []
    assert reply.metadata["delivery"] == "sent"
    assert [message.body.splitlines()[0] for message in mailoutbox] == [
        "Votre colis part demain."
    ]


@pytest.mark.django_db
def test_a_reply_is_sent_once_and_a_failing_one_is_reported_after_its_attempts(
    settings: SettingsWrapper,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    sent = _reply_committed(django_capture_on_commit_callbacks, execute=True)
    settings.AMIABLE_EVENTS_RELAY_AFTER_SECONDS = 5
    relayed = events_relay(at=now() + dt.timedelta(seconds=6))
    settings.EMAIL_BACKEND = "tests.tasks.mail_backends.DownEmailBackend"
    settings.TASK_MAX_ATTEMPTS = 2
    failing = _reply_committed(django_capture_on_commit_callbacks, execute=True)

    sent.refresh_from_db()
    failing.refresh_from_db()
    assert relayed == []  # delivered: nothing left for the relay
    assert len(mailoutbox) == 1
    assert sent.metadata["delivery"] == "sent"
    assert {
        key: failing.metadata[key]
        for key in ("delivery", "delivery_attempts", "delivery_max_attempts")
    } == {"delivery": "failed", "delivery_attempts": 2, "delivery_max_attempts": 2}
