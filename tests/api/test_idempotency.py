"""``Idempotency-Key`` on POST: replay, mismatch, expiry, failures not stored."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from amiable.accounts.models import User
from amiable.api.idempotency import idempotency_purge_expired
from amiable.api.models import IdempotencyRecord
from amiable.cases.models import Case
from amiable.conversations.models import Interaction
from amiable.customers.models import Customer
from tests.api.conftest import ClientFor

JSON = "application/json"


def _post(client: Client, url: str, body: object, key: str) -> Any:
    return client.post(
        url, data=body, content_type=JSON, headers={"Idempotency-Key": key}
    )


def test_same_key_and_body_replays_the_first_response(api_client: Client) -> None:
    body = {"name": "Jean Dupont"}

    first = _post(api_client, "/api/v1/customers", body, "key-1")
    second = _post(api_client, "/api/v1/customers", body, "key-1")

    assert first.status_code == 201
    assert second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Customer.objects.count() == 1


def test_same_key_other_body_gives_409(api_client: Client) -> None:
    _post(api_client, "/api/v1/customers", {"name": "Jean"}, "key-2")

    response = _post(api_client, "/api/v1/customers", {"name": "Paul"}, "key-2")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"
    assert Customer.objects.count() == 1


def test_same_key_other_path_gives_409(api_client: Client, customer: Customer) -> None:
    body = {"category": "size", "value": "M", "purpose": "gifts", "source": "phone"}
    _post(api_client, f"/api/v1/customers/{customer.pk}/facts", body, "key-3")

    response = _post(api_client, "/api/v1/customers", body, "key-3")

    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_key_reused"


def test_keys_are_per_user(
    client_for: ClientFor, agent: User, supervisor: User
) -> None:
    body = {"name": "Jean"}

    first = _post(client_for(agent), "/api/v1/customers", body, "shared")
    second = _post(client_for(supervisor), "/api/v1/customers", body, "shared")

    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] != second.json()["id"]


def test_failed_request_is_not_stored_and_may_be_retried(api_client: Client) -> None:
    failed = _post(api_client, "/api/v1/customers", {"name": "   "}, "key-4")

    retried = _post(api_client, "/api/v1/customers", {"name": "   "}, "key-4")

    assert (failed.status_code, retried.status_code) == (422, 422)
    assert "Idempotent-Replayed" not in retried
    assert IdempotencyRecord.objects.count() == 0


def test_replayed_case_reply_writes_once(api_client: Client, team_case: Case) -> None:
    url = f"/api/v1/cases/{team_case.pk}/replies"
    body = {"body_text": "Nous renvoyons le colis aujourd'hui."}

    responses = [_post(api_client, url, body, "reply-1") for _ in range(3)]

    assert [response.status_code for response in responses] == [201, 201, 201]
    assert Interaction.objects.filter(case=team_case).count() == 1


def test_expired_key_runs_again(api_client: Client, settings: object) -> None:
    _post(api_client, "/api/v1/customers", {"name": "Jean"}, "key-5")
    IdempotencyRecord.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))

    again = _post(api_client, "/api/v1/customers", {"name": "Jean"}, "key-5")

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Customer.objects.count() == 2
    assert IdempotencyRecord.objects.count() == 1


def test_purge_deletes_only_expired(api_client: Client) -> None:
    _post(api_client, "/api/v1/customers", {"name": "A"}, "old")
    IdempotencyRecord.objects.update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    _post(api_client, "/api/v1/customers", {"name": "B"}, "new")

    deleted = idempotency_purge_expired()

    assert deleted == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


@pytest.mark.parametrize("key", ["", "x" * 256, "clé-accentuée", "with space"])
def test_invalid_key_gives_422(api_client: Client, key: str) -> None:
    response = _post(api_client, "/api/v1/customers", {"name": "Jean"}, key)

    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["Idempotency-Key"]
    assert Customer.objects.count() == 0


def test_anonymous_with_key_still_gets_401(db: None) -> None:
    response = _post(Client(), "/api/v1/customers", {"name": "Jean"}, "anon")

    assert response.status_code == 401
    assert IdempotencyRecord.objects.count() == 0
