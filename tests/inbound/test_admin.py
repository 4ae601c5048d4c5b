"""The admin of the inbound channels: the quarantine with its raw source and the
replay action, for administrators only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import User
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.services import email_ingest

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarantined(
    monkeypatch: pytest.MonkeyPatch, make_email: Callable[..., bytes]
) -> InboundEmail:
    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("parser bug")

    with monkeypatch.context() as patch:
        patch.setattr("amiable.inbound.services.ingestion.email_process", broken)
        result = email_ingest(raw=make_email(subject="Colis à Brest"), source="imap")
    return InboundEmail.objects.get(pk=result.email_id)


def test_an_administrator_sees_the_raw_source_and_replays_from_the_admin(
    admin_user: User, quarantined: InboundEmail
) -> None:
    client = Client()
    client.force_login(admin_user)

    listing = client.get(
        reverse("admin:inbound_inboundemail_changelist"), {"status": "quarantined"}
    )
    detail = client.get(
        reverse("admin:inbound_inboundemail_change", args=[quarantined.pk])
    )
    replayed = client.post(
        reverse("admin:inbound_inboundemail_changelist"),
        {"action": "replay", "_selected_action": [quarantined.pk]},
        follow=True,
    )

    assert listing.status_code == 200
    assert "unexpected error: RuntimeError: parser bug" in listing.content.decode()
    assert "Subject: Colis =?utf-8?q?=C3=A0?= Brest" in detail.content.decode()
    assert replayed.status_code == 200
    quarantined.refresh_from_db()
    assert quarantined.status == InboundStatus.OPENED


def test_an_agent_has_no_access_to_the_inbound_admin(
    agent: User, quarantined: InboundEmail
) -> None:
    agent.is_staff = True
    agent.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(agent)

    response = client.get(reverse("admin:inbound_inboundemail_changelist"))

    assert response.status_code == 403
