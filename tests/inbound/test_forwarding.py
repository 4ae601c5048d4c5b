"""Forwarding to a third party for real: the agent forwards the customer's email
from the case page, it leaves through a real SMTP server on loopback, the
carrier's answer comes back through our own SMTP endpoint and lands on the case
as the carrier's (not the customer's, no reopening, no SLA), and the customer's
portal shows neither."""

from __future__ import annotations

import smtplib
import time
from collections.abc import Callable

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseStatus
from amiable.conversations.models import Direction, Interaction, InteractionKind
from amiable.core.errors import ValidationError
from amiable.customers.models import Customer, Identity
from amiable.inbound.services import email_ingest
from amiable.inbound.smtp import smtp_server_start
from amiable.portal.selectors import public_interactions
from tests.peers.mail_sink import SmtpSink

CARRIER = "suivi@transports-rapides.example"


def _customer_case(make_email: Callable[..., bytes], agent: User) -> Case:
    email_ingest(
        raw=make_email(
            subject="Colis abîmé", message_id="<client-1@exemple.fr>", body="Abîmé."
        ),
        source="smtp",
    )
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(team=agent.team, assignee=agent)
    return Case.objects.get(pk=case.pk)


def _wait_for_third_party(case: Case) -> Interaction:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = Interaction.objects.filter(
            case=case, metadata__kind=InteractionKind.THIRD_PARTY
        ).first()
        if found is not None:
            return found
        time.sleep(0.05)
    raise AssertionError("the carrier's answer did not arrive")


@pytest.mark.django_db(transaction=True)
def test_a_forward_goes_out_by_smtp_and_the_carriers_answer_comes_back(
    make_email: Callable[..., bytes],
    smtp_sink: SmtpSink,
    settings: Settings,
    agent: User,
) -> None:
    settings.AMIABLE_INBOUND_ACKNOWLEDGE = False
    case = _customer_case(make_email, agent)
    customer_message = Interaction.objects.get(case=case)
    client = Client()
    client.force_login(agent)

    response = client.post(
        f"/cases/{case.pk}/forward/",
        {
            "to": CARRIER,
            "body": "Pouvez-vous vérifier l’état du colis à l’entrepôt ?",
            "messages": [customer_message.pk],
            "version": case.version,
        },
    )

    assert response.status_code == 302
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == CARRIER
    assert message["In-Reply-To"] is None  # a thread of its own
    assert case.reference in message["Subject"]
    text = message.get_body(preferencelist=("plain",))
    assert text is not None
    content = text.get_content()
    assert "Pouvez-vous vérifier l’état du colis" in content
    assert "Message transféré" in content
    assert "Abîmé." in content
    forward = Interaction.objects.get(direction=Direction.OUTBOUND)
    assert forward.metadata["kind"] == InteractionKind.FORWARD
    assert forward.metadata["to"] == [CARRIER]
    assert message["Message-ID"] == f"<{forward.message_id}>"
    case.refresh_from_db()
    assert case.first_responded_at is None  # not an answer to the customer

    Case.objects.filter(pk=case.pk).update(status=CaseStatus.WAITING_CUSTOMER)
    server = smtp_server_start("127.0.0.1", 0)
    try:
        answer = make_email(
            sender=f"Transports Rapides <{CARRIER}>",
            subject=f"Re: {message['Subject']}",
            body="Le colis est reparti ce matin.",
            in_reply_to=message["Message-ID"],
            references=message["Message-ID"],
        )
        with smtplib.SMTP("127.0.0.1", server.port, timeout=10) as smtp:
            smtp.sendmail(CARRIER, ["support@amiable.localhost"], answer)
        theirs = _wait_for_third_party(case)
    finally:
        server.stop()

    assert theirs.direction == Direction.INBOUND
    assert theirs.customer_id == case.customer_id
    assert theirs.metadata["third_party"]["address"] == CARRIER
    assert "Le colis est reparti ce matin." in theirs.body_text
    assert not Identity.objects.filter(normalized=CARRIER).exists()
    assert Customer.objects.count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_CUSTOMER  # not the customer: no reopen
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Transféré à un tiers" in page
    assert "Réponse du tiers" in page
    assert "Transports Rapides" in page
    assert list(public_interactions(case=case)) == [customer_message]


@pytest.mark.django_db
def test_a_stranger_quoting_the_forward_is_not_taken_for_the_third_party(
    make_email: Callable[..., bytes], settings: Settings, agent: User
) -> None:
    settings.AMIABLE_INBOUND_ACKNOWLEDGE = False
    case = _customer_case(make_email, agent)
    client = Client()
    client.force_login(agent)
    client.post(
        f"/cases/{case.pk}/forward/",
        {"to": CARRIER, "body": "Vérifiez svp", "version": case.version},
    )
    forward = Interaction.objects.get(direction=Direction.OUTBOUND)

    email_ingest(
        raw=make_email(
            sender="curieux@ailleurs.example",
            subject="Re: transfert",
            in_reply_to=f"<{forward.message_id}>",
        ),
        source="smtp",
    )

    assert not Interaction.objects.filter(
        metadata__kind=InteractionKind.THIRD_PARTY
    ).exists()
    assert Case.objects.count() == 2  # the stranger's own new case


@pytest.mark.django_db
def test_a_forward_without_recipient_or_content_keeps_the_input(
    make_email: Callable[..., bytes], settings: Settings, agent: User
) -> None:
    settings.AMIABLE_INBOUND_ACKNOWLEDGE = False
    case = _customer_case(make_email, agent)
    client = Client()
    client.force_login(agent)

    no_content = client.post(
        f"/cases/{case.pk}/forward/",
        {"to": CARRIER, "subject": "Vérif entrepôt", "version": case.version},
    )
    bad_address = client.post(
        f"/cases/{case.pk}/forward/",
        {"to": "pas-une-adresse", "body": "Texte gardé", "version": case.version},
    )

    assert no_content.status_code == 422
    assert 'value="Vérif entrepôt"' in no_content.content.decode()
    assert bad_address.status_code == 422
    assert "Texte gardé" in bad_address.content.decode()
    assert not Interaction.objects.filter(direction=Direction.OUTBOUND).exists()


@pytest.mark.django_db
def test_another_cases_message_cannot_be_forwarded(
    make_email: Callable[..., bytes], settings: Settings, agent: User
) -> None:
    from amiable.cases.services import case_forward

    settings.AMIABLE_INBOUND_ACKNOWLEDGE = False
    case = _customer_case(make_email, agent)
    email_ingest(
        raw=make_email(sender="autre@exemple.fr", subject="Autre chose"),
        source="smtp",
    )
    foreign = Interaction.objects.exclude(case=case).get()

    with pytest.raises(ValidationError) as refused:
        case_forward(actor=agent, case=case, to=[CARRIER], interaction_ids=[foreign.pk])

    assert "messages" in refused.value.fields


@pytest.mark.django_db
def test_an_agent_of_another_team_cannot_forward(
    make_email: Callable[..., bytes], settings: Settings, agent: User, other_agent: User
) -> None:
    settings.AMIABLE_INBOUND_ACKNOWLEDGE = False
    case = _customer_case(make_email, agent)
    client = Client()
    client.force_login(other_agent)

    response = client.post(
        f"/cases/{case.pk}/forward/",
        {"to": CARRIER, "body": "Fuite", "version": case.version},
    )

    assert response.status_code == 404
    assert not Interaction.objects.filter(direction=Direction.OUTBOUND).exists()
