"""Who may see and do what with the inbound channels, for every role: the ledger
and its replay are for administrators; reviews and originals follow the visibility
of their case; refused requests write nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.conversations.models import Interaction
from amiable.inbound.models import InboundEmail, InboundStatus, Review, WebhookKind
from amiable.inbound.services import email_ingest, review_receive
from amiable.inbound.services.channels import ChannelMessage, IdentityRef
from tests.factories.inbound import WebhookSourceFactory

pytestmark = pytest.mark.django_db
STAFF = ["other_agent", "agent", "supervisor", "quality_manager", "admin_user"]
SEES_THE_CASE = {"agent", "supervisor", "quality_manager", "admin_user"}


def _api(request: pytest.FixtureRequest, role: str) -> Client:
    if role == "anonymous":
        return Client()
    user: User = request.getfixturevalue(role)
    token = request.getfixturevalue("token_for")(user)
    return Client(headers={"Authorization": f"Bearer {token}"})


def _web(request: pytest.FixtureRequest, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client


@pytest.fixture
def quarantined(
    monkeypatch: pytest.MonkeyPatch, make_email: Callable[..., bytes]
) -> InboundEmail:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("a bug in a parser")

    with monkeypatch.context() as patch:
        patch.setattr("amiable.inbound.services.ingestion.email_process", broken)
        result = email_ingest(
            raw=make_email(message_id="<q1@exemple.fr>"), source="smtp"
        )
    return InboundEmail.objects.get(pk=result.email_id)


@pytest.fixture
def review(team: Team) -> Review:
    source = WebhookSourceFactory.create(kind=WebhookKind.REVIEW, team=team)
    created, _new = review_receive(
        source=source,
        nonce="n",
        message=ChannelMessage(
            channel="review",
            external_id="r1",
            identities=[IdentityRef("social", "claire", platform="google")],
            name="Claire",
            text="Service déplorable à Quimper",
        ),
        platform="google",
        rating=2,
        url="",
        author_name="Claire",
    )
    return created


@pytest.mark.parametrize("role", ["anonymous", *STAFF])
def test_the_ledger_is_for_administrators(
    request: pytest.FixtureRequest, quarantined: InboundEmail, role: str
) -> None:
    response = _api(request, role).get("/api/v1/inbound/emails")

    expected = {"anonymous": 401, "admin_user": 200}.get(role, 403)
    assert response.status_code == expected
    if expected == 200:
        [item] = response.json()["items"]
        assert item["reason"] == "unexpected error: RuntimeError: a bug in a parser"
    else:
        assert "a bug in a parser" not in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", *STAFF])
def test_only_administrators_replay_and_a_fixed_bug_lets_the_message_in(
    request: pytest.FixtureRequest, quarantined: InboundEmail, role: str
) -> None:
    client = _api(request, role)
    before = (Case.objects.count(), AuditEvent.objects.count())

    response = client.post(f"/api/v1/inbound/emails/{quarantined.pk}/replay")

    quarantined.refresh_from_db()
    if role == "admin_user":
        assert response.status_code == 200
        assert response.json()["status"] == "opened"
        assert quarantined.status == InboundStatus.OPENED
        assert quarantined.replay_count == 1
        assert Case.objects.count() == 1
    else:
        assert response.status_code == (401 if role == "anonymous" else 403)
        assert quarantined.status == InboundStatus.QUARANTINED
        assert (Case.objects.count(), AuditEvent.objects.count()) == before


def test_a_message_not_in_quarantine_cannot_be_replayed(
    request: pytest.FixtureRequest, make_email: Callable[..., bytes]
) -> None:
    stored = email_ingest(raw=make_email(), source="smtp")

    response = _api(request, "admin_user").post(
        f"/api/v1/inbound/emails/{stored.email_id}/replay"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_a_quarantined_message_whose_source_is_lost_is_a_clear_conflict(
    request: pytest.FixtureRequest, quarantined: InboundEmail
) -> None:
    quarantined.raw.storage.delete(quarantined.raw.name)
    client = _api(request, "admin_user")
    before = AuditEvent.objects.count()

    response = client.post(f"/api/v1/inbound/emails/{quarantined.pk}/replay")

    quarantined.refresh_from_db()
    assert response.status_code == 409
    assert (response.json()["code"], list(response.json()["fields"])) == (
        "conflict",
        ["raw"],
    )
    assert quarantined.status == InboundStatus.QUARANTINED
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["anonymous", *STAFF])
def test_reviews_follow_the_visibility_of_their_case(
    request: pytest.FixtureRequest, review: Review, role: str
) -> None:
    listing = _api(request, role).get("/api/v1/inbound/reviews")
    draft = _api(request, role).post(
        f"/api/v1/inbound/reviews/{review.pk}/draft",
        data={"text": "Nous sommes désolés."},
        content_type="application/json",
    )
    page = _web(request, role).get(reverse("inbound:reviews"))

    review.refresh_from_db()
    if role == "anonymous":
        assert (listing.status_code, draft.status_code, page.status_code) == (
            401,
            401,
            302,
        )
        assert review.reply_draft == ""
    elif role in SEES_THE_CASE:
        assert [item["id"] for item in listing.json()["items"]] == [review.pk]
        assert draft.status_code == 200
        assert review.reply_draft == "Nous sommes désolés."
        assert "Service déplorable à Quimper" in page.content.decode()
    else:
        assert listing.json()["items"] == []
        assert draft.status_code == 404
        assert review.reply_draft == ""
        assert "Service déplorable à Quimper" not in page.content.decode()


@pytest.mark.parametrize("role", ["anonymous", *STAFF])
def test_the_original_email_follows_the_visibility_of_its_case(
    request: pytest.FixtureRequest,
    team: Team,
    make_email: Callable[..., bytes],
    role: str,
) -> None:
    result = email_ingest(
        raw=make_email(body="Secret de Quimper.\n\nLe 1 déc., X a écrit :\n> Avant"),
        source="smtp",
    )
    assert result.case_id is not None
    assert result.interaction_id is not None
    Case.objects.filter(pk=result.case_id).update(team=team)
    interaction = Interaction.objects.get(pk=result.interaction_id)

    response = _web(request, role).get(
        reverse("inbound:original", args=[interaction.pk])
    )

    if role == "anonymous":
        assert response.status_code == 302
    elif role in SEES_THE_CASE:
        assert response.status_code == 200
        assert "&gt; Avant" in response.content.decode()
    else:
        assert response.status_code == 404
