"""The review pages and the case panel: draft, publication, "replied publicly"."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.cases.models import Case
from amiable.inbound.models import InboundEmail, Review, WebhookKind
from amiable.inbound.services import email_ingest, review_receive
from amiable.inbound.services.channels import ChannelMessage, IdentityRef
from tests.factories.inbound import WebhookSourceFactory

pytestmark = pytest.mark.django_db


def _review(team: Team, number: int = 1, rating: int = 2) -> Review:
    source = WebhookSourceFactory.create(kind=WebhookKind.REVIEW, team=team)
    review, _created = review_receive(
        source=source,
        nonce=f"n{number}",
        message=ChannelMessage(
            channel="review",
            external_id=f"r{number}",
            identities=[IdentityRef("social", f"reviewer{number}", platform="google")],
            name=f"Reviewer {number}",
            text=f"Livraison ratée n°{number}",
        ),
        platform="google",
        rating=rating,
        url="https://maps.example/r",
        author_name="Claire",
    )
    return review


def test_the_case_page_shows_the_review_and_its_public_reply(
    web_client: Client, agent: User, team: Team
) -> None:
    review = _review(team)
    case = Case.objects.get()
    url = reverse("cases:detail", args=[case.pk])

    before = web_client.get(url).content.decode()
    web_client.post(
        reverse("inbound:review_reply", args=[review.pk]),
        {"text": "Nous sommes navrés.", "action": "draft", "next": url},
    )
    drafted = web_client.get(url).content.decode()
    published = web_client.post(
        reverse("inbound:review_reply", args=[review.pk]),
        {"text": "Nous sommes navrés, Claire.", "action": "publish", "next": url},
    )
    after = web_client.get(url).content.decode()

    assert "Livraison ratée n°1" in before
    assert 'data-testid="publish-reply"' in before
    assert "Nous sommes navrés." in drafted
    assert published.status_code == 302
    assert published["Location"] == url
    assert 'data-testid="replied-publicly"' in after
    assert 'data-testid="publish-reply"' not in after
    review.refresh_from_db()
    assert review.replied_by == agent


def test_publishing_twice_is_refused_with_a_message(
    web_client: Client, team: Team
) -> None:
    review = _review(team)
    url = reverse("inbound:review_reply", args=[review.pk])
    web_client.post(url, {"text": "Pardon.", "action": "publish"})

    second = web_client.post(url, {"text": "Encore.", "action": "publish"}, follow=True)

    review.refresh_from_db()
    assert review.reply_draft == "Pardon."
    assert "Cet avis a déjà reçu une réponse publique." in second.content.decode()


@pytest.mark.parametrize(
    ("language", "error"),
    [
        (
            "fr",
            "Adresse de la réponse publiée (facultatif) : Saisissez une URL valide.",
        ),
        ("en", "Address of the published reply (optional): Enter a valid URL."),
    ],
)
def test_a_refused_reply_is_shown_again_with_what_was_typed(
    web_client: Client, team: Team, language: str, error: str
) -> None:
    review = _review(team)
    typed = "Nous sommes navrés, Claire : voici ce que nous faisons."

    response = web_client.post(
        reverse("inbound:review_reply", args=[review.pk]),
        {"text": typed, "public_url": "pas une adresse", "action": "publish"},
        headers={"accept-language": language},
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert html.escape(typed, quote=True) in content or typed in content
    assert 'value="pas une adresse"' in content
    assert error in html.unescape(content)
    review.refresh_from_db()
    assert (review.reply_draft, review.is_replied_publicly) == ("", False)


def test_the_review_list_query_count_does_not_grow(
    web_client: Client, team: Team
) -> None:
    for number in range(2):
        _review(team, number)
    with CaptureQueriesContext(connection) as few:
        web_client.get(reverse("inbound:reviews"))
    for number in range(2, 20):
        _review(team, number)
    with CaptureQueriesContext(connection) as many:
        response = web_client.get(reverse("inbound:reviews"))

    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_original_email_says_so_when_its_file_is_missing(
    web_client: Client, team: Team, make_email: Callable[..., bytes]
) -> None:
    result = email_ingest(raw=make_email(body="Bonjour, mon colis ?"), source="smtp")
    assert result.case_id is not None
    assert result.interaction_id is not None
    Case.objects.filter(pk=result.case_id).update(team=team)
    email = InboundEmail.objects.get(interaction_id=result.interaction_id)
    email.raw.storage.delete(email.raw.name)

    response = web_client.get(
        reverse("inbound:original", args=[result.interaction_id]),
        headers={"accept-language": "en"},
    )

    assert response.status_code == 200
    assert "The source file is missing." in response.content.decode()
