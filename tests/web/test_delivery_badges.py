"""Outbound messages on the case page say when their delivery failed or waits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.cases.models import Case
from amiable.conversations.models import Direction
from tests.factories import CaseFactory, CustomerFactory, InteractionFactory

RETRY_AT = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)  # 10:30 in Paris


@pytest.fixture
def case(team: Team) -> Case:
    return CaseFactory.create(customer=CustomerFactory.create(), team=team)


@pytest.mark.parametrize(
    ("metadata", "badge"),
    [
        (
            {"delivery": "failed", "delivery_error": "SMTP 550 boîte inconnue"},
            "Envoi échoué : SMTP 550 boîte inconnue",
        ),
        ({"delivery": "failed"}, "Envoi échoué : erreur inconnue"),
        (
            {
                "delivery": "retrying",
                "delivery_error": "timeout",
                "delivery_retry_at": RETRY_AT.isoformat(),
            },
            "Nouvel essai prévu à 14/03/2026 10:30",
        ),
        ({"delivery": "no_address"}, "Aucune adresse e-mail"),
    ],
)
def test_an_outbound_message_shows_its_delivery_problem(
    web_client: Client, case: Case, agent: User, metadata: dict[str, Any], badge: str
) -> None:
    InteractionFactory.create(
        customer=case.customer,
        case=case,
        direction=Direction.OUTBOUND,
        author=agent,
        metadata=metadata,
    )

    response = web_client.get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 200
    assert badge in response.content.decode()


@pytest.mark.parametrize("direction", [Direction.INBOUND, Direction.INTERNAL])
def test_only_outbound_messages_carry_a_delivery_badge(
    web_client: Client, case: Case, direction: str
) -> None:
    InteractionFactory.create(
        customer=case.customer,
        case=case,
        direction=direction,
        metadata={"delivery": "failed", "delivery_error": "boom"},
    )

    response = web_client.get(reverse("cases:detail", args=[case.pk]))

    assert "Envoi échoué" not in response.content.decode()


def test_a_sent_message_shows_no_failure(
    web_client: Client, case: Case, agent: User
) -> None:
    InteractionFactory.create(
        customer=case.customer,
        case=case,
        direction=Direction.OUTBOUND,
        author=agent,
        metadata={"delivery": "sent"},
    )

    content = web_client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert "Envoyé" in content
    assert "Envoi échoué" not in content
    assert "Nouvel essai prévu" not in content
    assert "Aucune adresse e-mail" not in content
