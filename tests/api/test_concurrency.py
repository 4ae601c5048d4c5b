"""Real concurrency: two threads, two database connections, committed transactions."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from amiable.accounts.models import Role
from amiable.accounts.services import token_create
from amiable.cases.models import Case
from amiable.customers.models import Customer
from tests.factories import CaseFactory, TeamFactory, UserFactory

JSON = "application/json"


def _in_threads(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run ``calls`` at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def two_clients(settings: Any) -> tuple[Client, Client, Case]:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    team = TeamFactory.create(name="Concurrence")
    first = UserFactory.create(username="first", role=Role.AGENT, team=team)
    second = UserFactory.create(username="second", role=Role.AGENT, team=team)
    case = CaseFactory.create(team=team, subject="Avant")
    clients = tuple(
        Client(
            headers={
                "Authorization": "Bearer "
                + token_create(actor=user, user=user, name="t").plaintext
            }
        )
        for user in (first, second)
    )
    return clients[0], clients[1], case


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_updates_give_one_success_and_one_409(
    two_clients: tuple[Client, Client, Case],
) -> None:
    first, second, case = two_clients
    url = f"/api/v1/cases/{case.pk}"

    responses = _in_threads(
        [
            lambda: first.patch(
                url, data={"version": 1, "subject": "Par A"}, content_type=JSON
            ),
            lambda: second.patch(
                url, data={"version": 1, "subject": "Par B"}, content_type=JSON
            ),
        ]
    )

    statuses = sorted(response.status_code for response in responses)
    winner = next(response for response in responses if response.status_code == 200)
    loser = next(response for response in responses if response.status_code == 409)
    case.refresh_from_db()
    assert statuses == [200, 409]
    assert loser.json()["code"] == "version_conflict"
    assert case.version == 2
    assert case.subject == winner.json()["subject"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_with_one_idempotency_key_write_once(
    two_clients: tuple[Client, Client, Case],
) -> None:
    first, _second, _case = two_clients
    headers = {"Idempotency-Key": "same-key"}
    body = {"name": "Une seule fois"}

    responses = _in_threads(
        [
            lambda: first.post(
                "/api/v1/customers", data=body, content_type=JSON, headers=headers
            )
            for _ in range(2)
        ]
    )

    assert sorted(response.status_code for response in responses) == [201, 201]
    assert responses[0].json()["id"] == responses[1].json()["id"]
    assert Customer.objects.filter(name="Une seule fois").count() == 1
