"""Attachments through the API: multipart replies and notes, metadata, downloads."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.conversations.models import Attachment, Interaction
from tests.api.conftest import ClientFor

PNG = b"\x89PNG\r\n\x1a\nimage"


def _png(name: str = "photo colis abîmé.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("replies", {"body_text": "Voici l'étiquette retour", "channel": "email"}),
        ("notes", {"body_text": "Photo du client"}),
    ],
)
def test_multipart_stores_the_files_and_answers_their_metadata(
    api_client: Client, team_case: Case, action: str, fields: dict[str, str]
) -> None:
    response = api_client.post(
        f"/api/v1/cases/{team_case.pk}/{action}",
        data={**fields, "attachments": [_png(), _png("b.png")]},
    )

    assert response.status_code == 201
    body = response.json()
    stored = list(Attachment.objects.filter(interaction_id=body["id"]).order_by("id"))
    assert body["body_text"] == fields["body_text"]
    assert body["attachments"] == [
        {
            "id": attachment.pk,
            "filename": attachment.filename,
            "content_type": "image/png",
            "size": len(PNG),
            "is_inline": False,
            "download_url": f"/api/v1/interactions/attachments/{attachment.pk}",
        }
        for attachment in stored
    ]
    assert [attachment.filename for attachment in stored] == [
        "photo colis abîmé.png",
        "b.png",
    ]


def test_json_replies_still_work_without_files(
    api_client: Client, team_case: Case
) -> None:
    response = api_client.post(
        f"/api/v1/cases/{team_case.pk}/replies",
        data={"body_text": "Bonjour", "version": team_case.version},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["attachments"] == []


def test_unknown_json_fields_are_still_refused(
    api_client: Client, team_case: Case
) -> None:
    response = api_client.post(
        f"/api/v1/cases/{team_case.pk}/notes",
        data={"body_text": "x", "surprise": 1},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


def test_a_multipart_version_is_checked(api_client: Client, team_case: Case) -> None:
    response = api_client.post(
        f"/api/v1/cases/{team_case.pk}/replies",
        data={"body_text": "x", "version": team_case.version + 1, "status": ""},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "version_conflict"


@pytest.mark.parametrize(
    ("upload", "status"),
    [
        (SimpleUploadedFile("gros.pdf", b"%PDF" + b"x" * 2048, "application/pdf"), 413),
        (SimpleUploadedFile("outil.exe", b"MZ\x90\x00", "application/pdf"), 422),
        (SimpleUploadedFile("page.html", b"<html>", "text/html"), 422),
    ],
    ids=["too-large", "program", "type"],
)
def test_a_refused_file_writes_nothing(
    api_client: Client,
    team_case: Case,
    settings: object,
    upload: SimpleUploadedFile,
    status: int,
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024  # type: ignore[attr-defined]
    before = (Interaction.objects.count(), AuditEvent.objects.count())

    response = api_client.post(
        f"/api/v1/cases/{team_case.pk}/replies",
        data={"body_text": "Ci-joint", "attachments": [upload]},
    )

    assert response.status_code == status
    assert response.json()["code"] == "attachment_rejected"
    assert response.json()["fields"] == {"attachments": [upload.name]}
    assert (Interaction.objects.count(), AuditEvent.objects.count()) == before
    assert not Attachment.objects.exists()


def test_reading_an_interaction_exposes_its_attachments_and_the_download_works(
    api_client: Client, team_case: Case
) -> None:
    created = api_client.post(
        f"/api/v1/cases/{team_case.pk}/notes",
        data={"body_text": "Photo", "attachments": [_png()]},
    ).json()

    read = api_client.get(f"/api/v1/interactions/{created['id']}").json()
    download = api_client.get(read["attachments"][0]["download_url"])

    assert read["attachments"] == created["attachments"]
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG  # type: ignore[attr-defined]
    assert download["Content-Type"] == "image/png"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == (
        'attachment; filename="photo colis abime.png"; '
        "filename*=UTF-8''photo%20colis%20ab%C3%AEm%C3%A9.png"
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("agent", 200),
        ("other_agent", 404),
        ("supervisor", 200),
        ("quality_manager", 200),
        ("admin_user", 200),
    ],
)
def test_downloads_follow_the_case_visibility(
    request: pytest.FixtureRequest,
    api_client: Client,
    client_for: ClientFor,
    team_case: Case,
    role: str,
    status: int,
) -> None:
    created = api_client.post(
        f"/api/v1/cases/{team_case.pk}/notes",
        data={"body_text": "Photo", "attachments": [_png()]},
    ).json()
    user: User = request.getfixturevalue(role)

    response = client_for(user).get(created["attachments"][0]["download_url"])

    assert response.status_code == status


def test_downloads_need_credentials(api_client: Client, team_case: Case) -> None:
    created = api_client.post(
        f"/api/v1/cases/{team_case.pk}/notes",
        data={"body_text": "Photo", "attachments": [_png()]},
    ).json()

    response = Client().get(created["attachments"][0]["download_url"])

    assert response.status_code == 401


@pytest.mark.parametrize("encoding", ["json", "multipart"])
def test_field_errors_name_the_field_in_both_encodings(
    api_client: Client, team_case: Case, encoding: str
) -> None:
    url = f"/api/v1/cases/{team_case.pk}/replies"
    body = {"channel": "fax"}

    response = (
        api_client.post(url, data=body, content_type="application/json")
        if encoding == "json"
        else api_client.post(url, data=body)
    )

    assert response.status_code == 422
    assert sorted(response.json()["fields"]) == ["body_text", "channel"]


def test_malformed_json_on_a_reply_is_400(api_client: Client, team_case: Case) -> None:
    response = api_client.post(
        f"/api/v1/cases/{team_case.pk}/replies",
        data="{not json",
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["code"] == "malformed_request"
