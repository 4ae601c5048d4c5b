"""Automatic replies and bounces open nothing; a reply from the UI reaches a real
SMTP server threaded on the customer's message; the acknowledgement is limited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from pytest_django.fixtures import Settings

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseStatus
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.customers.models import Customer
from amiable.inbound.models import InboundStatus
from amiable.inbound.services import email_ingest
from amiable.notifications.models import Notification
from tests.peers.mail_sink import SmtpSink

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"List-Unsubscribe": "<mailto:unsubscribe@news.example>"},
    ],
)
def test_automatic_messages_from_strangers_open_nothing(
    make_email: Callable[..., bytes], headers: dict[str, str]
) -> None:
    result = email_ingest(
        raw=make_email(sender="robot@news.example", headers=headers), source="smtp"
    )

    assert result.status == InboundStatus.AUTO_REPLY
    assert Case.objects.count() == 0
    assert Customer.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.parametrize(
    "subject",
    ["Réponse automatique : Absence du bureau", "Automatic reply: Out of Office"],
)
def test_an_out_of_office_reply_lands_on_its_case_without_reopening_it(
    make_email: Callable[..., bytes],
    subject: str,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=make_email(message_id="<q@exemple.fr>"), source="smtp")
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.WAITING_CUSTOMER)
    acknowledgement = Interaction.objects.get(direction=Direction.OUTBOUND)
    mail.outbox.clear()

    result = email_ingest(
        raw=make_email(
            subject=subject,
            body="Je suis absente jusqu'au 4 janvier.",
            in_reply_to=f"<{acknowledgement.message_id}>",
        ),
        source="smtp",
    )

    assert result.status == InboundStatus.AUTO_REPLY
    assert result.case_id == case.pk
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_CUSTOMER
    assert Case.objects.count() == 1
    assert mail.outbox == []  # never answered


DSN = """From: Mail Delivery System <MAILER-DAEMON@mx.exemple.fr>
To: support@amiable.localhost
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-1@mx.exemple.fr>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="R"

--R
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--R
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.exemple.fr

Final-Recipient: rfc822; elodie.martin@exemple.fr
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--R
Content-Type: text/rfc822-headers

From: support@amiable.localhost
To: elodie.martin@exemple.fr
Message-ID: <{message_id}>
Subject: [C-2026-000001] Ma commande

--R--
"""


def test_a_bounce_marks_the_sent_email_and_reports_on_its_case(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
    agent: User,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=make_email(message_id="<b@exemple.fr>"), source="smtp")
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(assignee=agent)
    sent = Interaction.objects.get(direction=Direction.OUTBOUND)
    raw = DSN.format(message_id=sent.message_id).encode()

    result = email_ingest(raw=raw, source="smtp")
    again = email_ingest(raw=raw, source="imap")

    assert result.status == InboundStatus.BOUNCE
    assert result.case_id == case.pk
    assert again.is_duplicate is True
    sent.refresh_from_db()
    assert sent.metadata["delivery"] == "bounced"
    assert sent.metadata["delivery_error"] == "550 5.1.1 User unknown"
    activity = Interaction.objects.get(channel=Channel.SYSTEM)
    assert activity.case_id == case.pk
    assert "550 5.1.1 User unknown" in activity.body_text
    assert Case.objects.count() == 1
    assert Notification.objects.filter(recipient=agent).count() == 1


def test_a_mail_from_our_own_address_is_a_loop(
    make_email: Callable[..., bytes],
) -> None:
    result = email_ingest(
        raw=make_email(sender="support@amiable.localhost"), source="smtp"
    )

    assert result.status == InboundStatus.LOOP
    assert Case.objects.count() == 0


def test_acknowledgements_are_limited_per_address(
    make_email: Callable[..., bytes],
    settings: Settings,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.AMIABLE_AUTO_MESSAGES_PER_ADDRESS_PER_DAY = 2

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(4):
            email_ingest(raw=make_email(subject=f"Demande {number}"), source="smtp")

    assert Case.objects.count() == 4
    assert len(mail.outbox) == 2


def test_no_acknowledgement_goes_to_a_no_reply_address(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    # A no-reply address is software's: it opens no case (issue 17, class 1) and
    # is never answered.
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=make_email(sender="no-reply@shop.example"), source="smtp")

    assert Case.objects.count() == 0
    assert mail.outbox == []


def test_a_web_form_posting_from_no_reply_is_the_person_in_reply_to(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(
            raw=make_email(
                sender="Formulaire de contact <no-reply@shop.example>",
                headers={"Reply-To": "Chloé Petit <chloe.petit@exemple.fr>"},
            ),
            source="smtp",
        )

    case = Case.objects.get()
    assert case.customer.identities.get().normalized == "chloe.petit@exemple.fr"
    assert [message.to for message in mail.outbox] == [["chloe.petit@exemple.fr"]]


@pytest.mark.django_db(transaction=True)
def test_a_reply_from_the_ui_arrives_at_a_real_smtp_server_threaded(
    make_email: Callable[..., bytes],
    smtp_sink: SmtpSink,
    settings: Settings,
    agent: User,
) -> None:
    settings.AMIABLE_INBOUND_ACKNOWLEDGE = False
    first = make_email(
        subject="Colis abîmé", message_id="<customer-1@exemple.fr>", body="Abîmé."
    )
    email_ingest(raw=first, source="smtp")
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(team=agent.team)
    second = make_email(
        subject=f"Re: [{case.reference}] Colis abîmé",
        message_id="<customer-2@exemple.fr>",
        body="Des photos suivent.",
        in_reply_to="<customer-1@exemple.fr>",
        references="<customer-1@exemple.fr>",
    )
    email_ingest(raw=second, source="smtp")
    client = Client()
    client.force_login(agent)

    response = client.post(
        f"/cases/{case.pk}/reply/",
        {
            "body": "Nous vous envoyons un nouveau colis.",
            "version": Case.objects.get(pk=case.pk).version,
        },
    )

    assert response.status_code == 302
    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "elodie.martin@exemple.fr"
    assert message["Subject"] == f"[{case.reference}] Colis abîmé"
    assert message["In-Reply-To"] == "<customer-2@exemple.fr>"
    assert message["References"] == "<customer-1@exemple.fr> <customer-2@exemple.fr>"
    reply = Interaction.objects.get(direction=Direction.OUTBOUND)
    assert message["Message-ID"] == f"<{reply.message_id}>"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "Nous vous envoyons un nouveau colis." in text.get_content()
    assert f"Référence du dossier : {case.reference}" in text.get_content()
    assert "<p>Nous vous envoyons un nouveau colis.</p>" in html.get_content()

    answer = make_email(
        subject=f"Re: [{case.reference}] Colis abîmé",
        message_id="<customer-3@exemple.fr>",
        body="Merci !",
        in_reply_to=message["Message-ID"],
    )
    assert email_ingest(raw=answer, source="smtp").case_id == case.pk
