"""Delivering outbound emails: one message, threaded headers, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.conversations.delivery import interaction_deliver
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.services import interaction_record
from amiable.customers.models import Customer
from amiable.customers.services import identity_add
from tests.factories import CaseFactory

OPENED = dt.datetime(2025, 5, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def case(customer: Customer, agent: User) -> Case:
    identity_add(
        actor=agent, customer=customer, kind="email", value="Elodie@Exemple.fr"
    )
    return CaseFactory.create(customer=customer, subject="Colis perdu")


def _record(
    case: Case,
    *,
    direction: str,
    minutes: int,
    external_id: str = "",
    channel: str = Channel.EMAIL,
    actor: User | None = None,
    subject: str = "Re: Colis perdu",
) -> Interaction:
    return interaction_record(
        actor=actor,
        customer=case.customer,
        case=case,
        channel=channel,
        direction=direction,
        subject=subject,
        body_text="Bonjour",
        body_html="<p>Bonjour</p>" if direction == Direction.OUTBOUND else "",
        external_id=external_id,
        occurred_at=OPENED + dt.timedelta(minutes=minutes),
    ).interaction


@pytest.mark.django_db
def test_an_outbound_email_is_sent_once_and_threads_on_the_customer_messages(
    case: Case, agent: User
) -> None:
    _record(case, direction=Direction.INBOUND, minutes=0, external_id="first@mail.fr")
    _record(
        case, direction=Direction.INBOUND, minutes=5, external_id="<second@mail.fr>"
    )
    _record(case, direction=Direction.INBOUND, minutes=6)  # no Message-ID known
    reply = _record(case, direction=Direction.OUTBOUND, minutes=10, actor=agent)

    assert interaction_deliver(interaction_id=reply.pk) == "sent"
    assert interaction_deliver(interaction_id=reply.pk) == "already_sent"

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["elodie@exemple.fr"]
    assert message.subject == f"[{case.reference}] Re: Colis perdu"
    assert message.body.startswith("Bonjour\n\n-- \n")
    assert f"Référence du dossier : {case.reference}" in message.body
    assert isinstance(message, EmailMultiAlternatives)
    [(html, kind)] = message.alternatives
    assert kind == "text/html"
    assert "<div><p>Bonjour</p></div>" in str(html)
    headers = message.message()
    assert headers["In-Reply-To"] == "<second@mail.fr>"
    assert headers["References"] == "<first@mail.fr> <second@mail.fr>"
    metadata = Interaction.objects.get(pk=reply.pk).metadata
    assert metadata["delivery"] == "sent"
    assert headers["Message-ID"] == metadata["message_id"]
    assert metadata["message_id"].endswith("@amiable.localhost>")


@pytest.mark.django_db
def test_a_second_reply_threads_on_the_first_reply(case: Case, agent: User) -> None:
    first = _record(case, direction=Direction.OUTBOUND, minutes=1, actor=agent)
    second = _record(case, direction=Direction.OUTBOUND, minutes=2, actor=agent)

    interaction_deliver(interaction_id=first.pk)
    interaction_deliver(interaction_id=second.pk)

    first_id = Interaction.objects.get(pk=first.pk).metadata["message_id"]
    assert "In-Reply-To" not in mail.outbox[0].message()
    assert mail.outbox[1].message()["In-Reply-To"] == first_id
    assert mail.outbox[1].message()["References"] == first_id


@pytest.mark.django_db
def test_a_customer_without_email_is_marked_no_address(
    customer: Customer, agent: User
) -> None:
    case = CaseFactory.create(customer=customer)
    reply = _record(case, direction=Direction.OUTBOUND, minutes=1, actor=agent)

    assert interaction_deliver(interaction_id=reply.pk) == "no_address"

    assert mail.outbox == []
    assert Interaction.objects.get(pk=reply.pk).metadata == {"delivery": "no_address"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("direction", "channel", "state"),
    [
        (Direction.INBOUND, Channel.EMAIL, "skipped"),
        (Direction.OUTBOUND, Channel.LETTER, "skipped"),  # no way to send it
        (Direction.OUTBOUND, Channel.CHAT, "queued"),  # waits in the outbox
        (Direction.OUTBOUND, Channel.SMS, "no_address"),  # no phone number known
    ],
)
def test_only_outbound_emails_and_sms_are_delivered_others_wait_or_skip(
    case: Case, agent: User, direction: str, channel: str, state: str
) -> None:
    interaction = _record(
        case, direction=direction, minutes=1, channel=channel, actor=agent
    )

    assert interaction_deliver(interaction_id=interaction.pk) == state
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_subject_with_line_breaks_is_still_delivered(case: Case, agent: User) -> None:
    reply = _record(
        case,
        direction=Direction.OUTBOUND,
        minutes=1,
        actor=agent,
        subject="Colis\r\nBcc: victim@exemple.fr",
    )

    assert interaction_deliver(interaction_id=reply.pk) == "sent"

    assert mail.outbox[0].subject == f"[{case.reference}] Colis Bcc: victim@exemple.fr"
    assert mail.outbox[0].bcc == []
