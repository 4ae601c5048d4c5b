"""A review platform or an agent cannot plant a javascript: link: review URLs and
the « published at » address are http(s) only, and stored ones render inert."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.core.errors import ValidationError
from amiable.inbound.models import Review, WebhookKind, WebhookSource
from amiable.inbound.services import review_reply_publish
from amiable.inbound.signing import signed_headers
from tests.factories.inbound import WebhookSourceFactory

pytestmark = pytest.mark.django_db

REVIEW = {"id": "g-1", "platform": "google", "rating": 2, "text": "Colis abîmé.",
          "url": "https://maps.example/r/1", "author_name": "Claire B.",
          "author_id": "claire-b"}  # fmt: skip


def post_review(source: WebhookSource, payload: dict[str, Any]) -> Any:
    body = json.dumps(payload).encode()
    return Client().post(
        f"/api/v1/inbound/hooks/{source.slug}/review",
        data=body,
        content_type="application/json",
        headers=signed_headers(secret=source.secret, body=body, nonce=uuid.uuid4().hex),
    )


@pytest.mark.parametrize(
    "url", ["javascript:alert(document.cookie)", "data:text/html,x", "/admin/"]
)
def test_a_review_with_a_script_url_is_refused(url: str) -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.REVIEW)

    response = post_review(source, {**REVIEW, "url": url})

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert list(response.json()["fields"]) == ["url"]
    assert Review.objects.count() == 0


def test_a_javascript_published_at_address_is_refused(agent: User) -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.REVIEW)
    post_review(source, REVIEW)
    review = Review.objects.get()

    with pytest.raises(ValidationError) as refused:
        review_reply_publish(
            actor=agent, review=review, text="Merci.", public_url="javascript:alert(1)"
        )

    assert refused.value.fields == {
        "public_url": ["Adresses http et https uniquement."]
    }
    review.refresh_from_db()
    assert review.replied_publicly_at is None


def test_a_stored_script_url_is_shown_without_a_link(
    agent: User, supervisor: User
) -> None:
    source = WebhookSourceFactory.create(kind=WebhookKind.REVIEW)
    post_review(source, REVIEW)
    review = Review.objects.get()
    # A row written before the check existed.
    Review.objects.filter(pk=review.pk).update(
        url="javascript:alert(1)", public_reply_url="JavaScript:alert(2)"
    )
    client = Client()
    client.force_login(supervisor)

    page = client.get(f"/cases/{review.case_id}/").content.decode()

    assert "Claire B." in page
    assert "javascript:" not in page.lower()
