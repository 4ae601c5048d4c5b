"""POST /cases/{id}/messages: a customer's message on an existing case, stored once."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseStatus
from amiable.conversations.models import Interaction
from tests.api.conftest import ClientFor
from tests.factories import CaseFactory, CustomerFactory

MESSAGE = {
    "channel": "email",
    "subject": "Re: colis",
    "body_text": "Toujours rien reçu",
    "external_id": "<msg-42@client.example>",
    "occurred_at": "2026-03-14T10:30:00+01:00",
}


def _post(client: Client, case: Case, body: dict[str, Any]) -> Any:
    return client.post(
        f"/api/v1/cases/{case.pk}/messages", data=body, content_type="application/json"
    )


def test_the_first_message_is_stored_and_a_replay_returns_it(
    api_client: Client, team_case: Case
) -> None:
    first = _post(api_client, team_case, MESSAGE)
    replay = _post(api_client, team_case, MESSAGE)

    assert first.status_code == 201
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert first.json()["direction"] == "inbound"
    assert first.json()["author"] is None
    assert first.json()["occurred_at"] == "2026-03-14T09:30:00Z"
    assert Interaction.objects.filter(case=team_case).count() == 1


@pytest.mark.parametrize(
    "status",
    [CaseStatus.RESOLVED, CaseStatus.WAITING_CUSTOMER, CaseStatus.CLOSED],
)
def test_a_message_reopens_a_waiting_or_finished_case(
    api_client: Client, team_case: Case, status: str
) -> None:
    Case.objects.filter(pk=team_case.pk).update(status=status)

    response = _post(api_client, team_case, MESSAGE)

    team_case.refresh_from_db()
    assert response.status_code == 201
    assert team_case.status == CaseStatus.OPEN
    assert team_case.resolved_at is None


def test_an_external_id_used_on_another_case_is_a_conflict(
    api_client: Client, team_case: Case
) -> None:
    other_case = CaseFactory.create(
        customer=CustomerFactory.create(), team=team_case.team
    )
    _post(api_client, other_case, MESSAGE)

    response = _post(api_client, team_case, MESSAGE)

    assert response.status_code == 409
    assert response.json()["code"] == "duplicate"
    assert list(response.json()["fields"]) == ["external_id"]
    assert not Interaction.objects.filter(case=team_case).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channel": "email", "body_text": ""}, "body_text"),
        ({"channel": "note", "body_text": "x"}, "channel"),
        ({"channel": "email", "body_text": "x", "author_id": 1}, "author_id"),
    ],
)
def test_bad_messages_are_422(
    api_client: Client, team_case: Case, body: dict[str, Any], field: str
) -> None:
    response = _post(api_client, team_case, body)

    assert response.status_code == 422
    assert field in response.json()["fields"]
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("agent", 201),
        ("other_agent", 404),
        ("supervisor", 201),
        ("quality_manager", 201),
        ("admin_user", 201),
    ],
)
def test_only_who_sees_the_case_records_on_it(
    request: pytest.FixtureRequest,
    client_for: ClientFor,
    team_case: Case,
    role: str,
    status: int,
) -> None:
    before = (Interaction.objects.count(), AuditEvent.objects.count())

    response = _post(client_for(request.getfixturevalue(role)), team_case, MESSAGE)

    assert response.status_code == status
    written = status == 201
    assert Interaction.objects.count() == before[0] + written


def test_a_message_without_token_is_401(team_case: Case) -> None:
    response = _post(Client(), team_case, MESSAGE)

    assert response.status_code == 401
    assert not Interaction.objects.exists()


def test_a_multipart_message_carries_its_files(
    api_client: Client, team_case: Case
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api_client.post(
        f"/api/v1/cases/{team_case.pk}/messages",
        data={
            "channel": "portal",
            "body_text": "Photo jointe",
            "attachments": [
                SimpleUploadedFile("colis.jpg", b"\xff\xd8\xffjpeg", "image/jpeg")
            ],
        },
    )

    assert response.status_code == 201
    assert [a["filename"] for a in response.json()["attachments"]] == ["colis.jpg"]
