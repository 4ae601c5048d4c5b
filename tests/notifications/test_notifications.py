"""Notifications: sent once per key, private to their recipient, read from the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from amiable.accounts.models import User
from amiable.notifications.models import Notification
from amiable.notifications.services import notification_send
from tests.factories import UserFactory
from tests.factories.notifications import NotificationFactory


def test_a_key_is_sent_once_per_recipient(agent: User, supervisor: User) -> None:
    sleeping = UserFactory.create(is_active=False)

    first = notification_send(
        recipients=[agent, supervisor, agent, sleeping],
        kind="sla.breached",
        title="Dossier C-2026-000042 en retard",
        dedupe_key="sla.breached:42",
    )
    again = notification_send(
        recipients=[agent, supervisor],
        kind="sla.breached",
        title="Dossier C-2026-000042 en retard",
        dedupe_key="sla.breached:42",
    )

    assert sorted(n.recipient.username for n in first) == ["agent", "supervisor"]
    assert again == []
    assert Notification.objects.count() == 2


def test_without_a_key_each_call_notifies(agent: User) -> None:
    for _call in range(2):
        notification_send(recipients=[agent], kind="info", title="Bonjour")

    assert Notification.objects.filter(recipient=agent).count() == 2


def test_the_page_lists_only_my_notifications_with_an_empty_state(
    web_client: Client, agent: User, other_agent: User
) -> None:
    empty = web_client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    NotificationFactory.create(recipient=agent, title="Promesse à risque")
    NotificationFactory.create(recipient=other_agent, title="Pas pour vous")

    page = web_client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")

    assert "No notification yet" in empty.content.decode()
    body = page.content.decode()
    assert "Promesse à risque" in body
    assert "Pas pour vous" not in body
    assert 'data-testid="nav-badge">1<' in body


def test_the_list_is_paginated_by_keyset(web_client: Client, agent: User) -> None:
    start = timezone.now()
    for minute in range(30):
        NotificationFactory.create(
            recipient=agent,
            title=f"Avis {minute:02d}",
            created_at=start - dt.timedelta(minutes=minute),
        )

    first = web_client.get("/notifications/").content.decode()

    shown = [
        f"Avis {minute:02d}" for minute in range(30) if f"Avis {minute:02d}<" in first
    ]
    assert shown == [f"Avis {minute:02d}" for minute in range(25)]
    assert 'rel="next"' in first


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    web_client: Client, agent: User
) -> None:
    mine = NotificationFactory.create(recipient=agent, url="/cases/42/")

    response = web_client.post(
        "/notifications/read/", {"notification": mine.pk, "next": mine.url}
    )

    assert (response.status_code, response["Location"]) == (302, "/cases/42/")
    mine.refresh_from_db()
    assert mine.read_at is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
def test_an_outside_link_is_not_followed(
    web_client: Client, agent: User, target: str
) -> None:
    mine = NotificationFactory.create(recipient=agent)

    response = web_client.post(
        "/notifications/read/", {"notification": mine.pk, "next": target}
    )

    assert response["Location"] == "/notifications/"


def test_nobody_marks_someone_elses_notifications(
    web_client: Client, other_agent: User
) -> None:
    theirs = NotificationFactory.create(recipient=other_agent)

    web_client.post("/notifications/read/", {"notification": theirs.pk})
    web_client.post("/notifications/read/", {"all": "on"})

    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_visitors_are_sent_to_login(client: Client) -> None:
    response = client.get("/notifications/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
