"""The one ingestion service: new cases, threading, duplicates, quarantine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from amiable.cases.models import Case, CaseStatus
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.customers.models import Customer, Identity
from amiable.inbound.models import InboundEmail, InboundSource, InboundStatus
from amiable.inbound.services import email_ingest

pytestmark = pytest.mark.django_db(transaction=False)


def test_a_new_email_opens_a_case_for_a_new_customer_and_acknowledges_it(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    raw = make_email(message_id="<first@exemple.fr>")

    with django_capture_on_commit_callbacks(execute=True):
        result = email_ingest(raw=raw, source=InboundSource.SMTP)

    assert result.status == InboundStatus.OPENED
    assert result.is_duplicate is False
    case = Case.objects.get()
    assert case.subject == "Ma commande n'est pas arrivée"
    assert case.channel == Channel.EMAIL
    customer = Customer.objects.get()
    assert customer.name == "Élodie Martin"
    assert Identity.objects.get().normalized == "elodie.martin@exemple.fr"
    inbound = case.interactions.get(direction=Direction.INBOUND)
    assert inbound.message_id == "first@exemple.fr"
    assert inbound.external_id == "first@exemple.fr"
    assert "Je n'ai toujours pas reçu ma commande." in inbound.body_text
    acknowledgement = case.interactions.get(direction=Direction.OUTBOUND)
    assert acknowledgement.metadata["automatic"] == "acknowledgement"
    assert len(mail.outbox) == 1
    sent = mail.outbox[0].message()
    assert sent["Auto-Submitted"] == "auto-replied"
    assert sent["In-Reply-To"] == "<first@exemple.fr>"
    assert mail.outbox[0].subject == f"[{case.reference}] Ma commande n'est pas arrivée"
    assert case.reference in mail.outbox[0].body


def test_the_same_message_twice_is_stored_once(
    make_email: Callable[..., bytes],
) -> None:
    raw = make_email(message_id="<twice@exemple.fr>")

    first = email_ingest(raw=raw, source=InboundSource.IMAP)
    second = email_ingest(raw=raw, source=InboundSource.SMTP)

    assert second.is_duplicate is True
    assert second.email_id == first.email_id
    assert InboundEmail.objects.count() == 1
    assert Interaction.objects.filter(direction=Direction.INBOUND).count() == 1


def test_a_reply_threads_on_its_case_and_reopens_it(
    make_email: Callable[..., bytes],
) -> None:
    email_ingest(raw=make_email(message_id="<one@exemple.fr>"), source="smtp")
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.WAITING_CUSTOMER)
    reply = make_email(
        subject="Re: Ma commande",
        body="Toujours rien.\n\nLe 1 déc. 2026 à 10:00, Support a écrit :\n> Bonjour",
        message_id="<two@exemple.fr>",
        in_reply_to="<one@exemple.fr>",
    )

    result = email_ingest(raw=reply, source="smtp")

    assert result.status == InboundStatus.THREADED
    assert result.case_id == case.pk
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    stored = Interaction.objects.get(message_id="two@exemple.fr")
    assert stored.body_text == "Toujours rien."
    assert stored.metadata["quoted_removed"] is True
    assert "> Bonjour" in stored.metadata["full_text"]


def test_garbage_is_quarantined_with_its_reason() -> None:
    result = email_ingest(raw=b"\x00\x01\x02 not an email", source="http")

    assert result.status == InboundStatus.QUARANTINED
    assert result.reason == "no email headers found"
    stored = InboundEmail.objects.get()
    assert stored.raw.read() == b"\x00\x01\x02 not an email"
