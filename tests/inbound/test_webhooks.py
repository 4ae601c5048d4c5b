"""Signed webhooks of the other channels: SMS (JSON and provider form), social,
reviews with their public reply, web contact forms and chat transcripts."""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.cases.models import Case, CaseKind
from amiable.cases.services import case_reply
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.sms import MemorySmsBackend
from amiable.customers.models import Customer, Identity, IdentityKind
from amiable.inbound.models import Review, WebhookKind, WebhookSource
from amiable.inbound.services import review_reply_publish
from amiable.inbound.signing import signed_headers
from tests.factories.inbound import WebhookSourceFactory

pytestmark = pytest.mark.django_db


def post(
    source: WebhookSource,
    path: str,
    payload: dict[str, Any],
    *,
    form: bool = False,
    nonce: str | None = None,
) -> Any:
    body = (urlencode(payload) if form else json.dumps(payload)).encode()
    return Client().post(
        f"/api/v1/inbound/hooks/{source.slug}/{path}",
        data=body,
        content_type="application/x-www-form-urlencoded"
        if form
        else "application/json",
        headers=signed_headers(
            secret=source.secret, body=body, nonce=nonce or uuid.uuid4().hex
        ),
    )


SMS = {
    "id": "SM-1",
    "from": "06 12 34 56 78",
    "to": "+33700000000",
    "text": "Mon colis ?",
}


def test_an_sms_opens_a_case_once_and_the_next_one_continues_it() -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.SMS)

    first = post(source, "sms", SMS)
    again = post(source, "sms", SMS)
    second = post(source, "sms", {**SMS, "id": "SM-2", "text": "Toujours rien."})

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == {**first.json(), "status": "duplicate"}
    assert second.status_code == 201
    assert second.json()["case_id"] == first.json()["case_id"]
    identity = Identity.objects.get()
    assert (identity.kind, identity.normalized) == (IdentityKind.PHONE, "+33612345678")
    texts = Interaction.objects.filter(channel=Channel.SMS).order_by("id")
    assert [item.body_text for item in texts] == ["Mon colis ?", "Toujours rien."]
    assert texts[0].external_id == f"{source.slug}:SM-1"


def test_a_provider_form_encoded_sms_lands_on_the_same_customer() -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.SMS)
    post(source, "sms", SMS)

    response = post(
        source,
        "sms/form",
        {
            "MessageSid": "SMx9",
            "From": "+33612345678",
            "To": "+337",
            "Body": "Allô ?",
            "AccountSid": "AC1",
            "NumMedia": "0",
        },  # fmt: skip
        form=True,
    )

    assert response.status_code == 201
    assert Customer.objects.count() == 1
    assert Interaction.objects.filter(channel=Channel.SMS).count() == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**SMS, "from": "not a phone"}, "value"),
        ({**SMS, "text": ""}, "text"),
        ({"id": "x", "text": "hi"}, "from"),
        ({**SMS, "extra": 1}, "extra"),
    ],
)
def test_a_bad_sms_gets_a_422_json_error_and_nothing_is_written(
    payload: dict[str, Any], field: str
) -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.SMS)

    response = post(source, "sms", payload)

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert field in response.json()["fields"]
    assert Interaction.objects.count() == 0
    assert Customer.objects.count() == 0


def test_an_unsigned_payload_is_refused_before_it_is_read() -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.SMS)

    response = Client().post(
        f"/api/v1/inbound/hooks/{source.slug}/sms",
        data="{not json",
        content_type="application/json",
    )

    assert response.status_code == 401
    assert response.json()["code"] == "webhook_signature_invalid"


def test_a_replayed_request_is_refused() -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.SMS)

    post(source, "sms", SMS, nonce="same")
    replay = post(source, "sms", SMS, nonce="same")

    assert replay.status_code == 409
    assert replay.json()["code"] == "webhook_replayed"


def test_a_direct_message_and_its_follow_up_share_a_case_by_thread() -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.SOCIAL)
    message = {"id": "dm-1", "platform": "x", "kind": "direct_message",
               "handle": "@JDupont", "author_name": "Jean Dupont",
               "url": "https://x.example/dm/1", "text": "Ma commande ?"}  # fmt: skip

    first = post(source, "social", message)
    reply = post(
        source,
        "social",
        {**message, "id": "dm-2", "in_reply_to_id": "dm-1", "text": "?"},
    )

    assert first.status_code == 201
    assert reply.status_code == 201
    assert reply.json()["case_id"] == first.json()["case_id"]
    identity = Identity.objects.get()
    assert identity.normalized == "x:jdupont"
    assert Customer.objects.get().name == "Jean Dupont"


def test_a_negative_review_opens_a_complaint_and_is_answered_publicly(
    agent: User,
) -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.REVIEW)
    review_in = {"id": "g-1", "platform": "google", "rating": 1, "title": "Déçue",
                 "text": "Colis jamais arrivé.", "url": "https://maps.example/r/1",
                 "author_name": "Claire B.", "author_id": "claire-b"}  # fmt: skip

    response = post(source, "review", review_in)
    duplicate = post(source, "review", review_in)

    assert response.status_code == 201
    assert duplicate.status_code == 200
    review = Review.objects.get()
    assert review.rating == 1
    assert review.case is not None
    assert review.case.kind == CaseKind.COMPLAINT
    assert review.interaction.body_text == "Déçue\n\nColis jamais arrivé."
    assert review.is_replied_publicly is False

    published = review_reply_publish(
        actor=agent, review=review, text="Toutes nos excuses, Claire.",
        public_url="https://maps.example/r/1#reply",
    )  # fmt: skip

    assert published.is_replied_publicly is True
    assert published.replied_by == agent
    reply = Interaction.objects.get(
        channel=Channel.REVIEW, direction=Direction.OUTBOUND
    )
    assert reply.case_id == review.case_id
    assert reply.metadata["public_reply"] is True


def test_a_five_star_review_goes_on_the_timeline_without_a_case() -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.REVIEW)

    response = post(
        source,
        "review",
        {
            "id": "t-1",
            "platform": "trustpilot",
            "rating": 5,
            "text": "Parfait !",
            "author_id": "marc",
            "author_email": "marc@exemple.fr",
        },  # fmt: skip
    )

    assert response.status_code == 201
    assert response.json()["case_id"] is None
    assert Case.objects.count() == 0
    assert Identity.objects.get().normalized == "marc@exemple.fr"


def test_a_web_form_with_a_case_reference_continues_that_case() -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.WEBFORM)
    form = {"id": "f-1", "name": "Élodie Martin", "email": "elodie@exemple.fr",
            "subject": "Remboursement", "message": "Où en est mon remboursement ?",
            "kind": "request"}  # fmt: skip
    first = post(source, "webform", form)
    reference = Case.objects.get().reference

    second = post(
        source,
        "webform",
        {**form, "id": "f-2", "message": "Relance.", "case_reference": reference},
    )

    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json()["case_reference"] == reference
    assert Case.objects.get().kind == CaseKind.REQUEST


def test_a_chat_transcript_is_one_interaction_in_order() -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.CHAT)

    response = post(
        source,
        "chat",
        {
            "id": "chat-9",
            "visitor": {"name": "Paul", "email": "paul@exemple.fr"},
            "lines": [
                {
                    "sender": "agent",
                    "name": "Léa",
                    "text": "Bonjour Paul !",
                    "at": "2026-12-01T09:01:00+00:00",
                },
                {
                    "sender": "visitor",
                    "name": "Paul",
                    "text": "Bonjour, ma facture ?",
                    "at": "2026-12-01T09:00:00+00:00",
                },
            ],  # fmt: skip
        },
    )

    assert response.status_code == 201
    chat = Interaction.objects.get(channel=Channel.CHAT)
    assert chat.body_text == (
        "[10:00] Paul: Bonjour, ma facture ?\n[10:01] Léa: Bonjour Paul !"
    )


def test_an_sms_reply_goes_out_through_the_provider(
    agent: User, django_capture_on_commit_callbacks: Any
) -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.SMS)
    post(source, "sms", SMS)
    case = Case.objects.get()
    MemorySmsBackend.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        reply = case_reply(
            actor=agent, case=case, body_text="Il arrive demain.", channel=Channel.SMS
        )

    assert MemorySmsBackend.outbox == [("+33612345678", "Il arrive demain.", "Amiable")]
    reply.refresh_from_db()
    assert reply.metadata["delivery"] == "sent"
    assert reply.metadata["provider_id"] == "memory-1"
