"""Downloading an attachment from the staff UI: only for who may see the interaction."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amiable.accounts.models import Team, User
from amiable.cases.models import Case
from amiable.conversations.attachments import AttachmentIn
from amiable.conversations.models import Attachment, Channel, Direction
from amiable.conversations.services import interaction_record
from tests.factories import CaseFactory, CustomerFactory

PDF = b"%PDF-1.4 contenu de la r\xc3\xa9clamation"
ACCENTED = "Réclamation été n°2.pdf"


@pytest.fixture
def case(team: Team) -> Case:
    return CaseFactory.create(customer=CustomerFactory.create(), team=team)


def _attach(case: Case | None, filename: str = ACCENTED) -> Attachment:
    customer = case.customer if case is not None else CustomerFactory.create()
    recorded = interaction_record(
        actor=None,
        customer=customer,
        case=case,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        body_text="Voici la facture",
        attachments=[AttachmentIn(filename, "application/pdf", PDF)],
    )
    return recorded.interaction.attachments.get()


def _url(attachment: Attachment) -> str:
    return reverse("conversations:attachment", args=[attachment.pk])


def _client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "role", ["agent", "supervisor", "quality_manager", "admin_user"]
)
def test_staff_who_see_the_case_download_the_stored_file(
    request: pytest.FixtureRequest, role: str, case: Case
) -> None:
    attachment = _attach(case)

    response = _client_of(request.getfixturevalue(role)).get(_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        'attachment; filename="Reclamation ete n2.pdf"; '
        "filename*=UTF-8''R%C3%A9clamation%20%C3%A9t%C3%A9%20n%C2%B02.pdf"
    )


def test_an_agent_of_another_team_gets_404(other_agent: User, case: Case) -> None:
    attachment = _attach(case)

    response = _client_of(other_agent).get(_url(attachment))

    assert response.status_code == 404


def test_an_attachment_outside_any_case_is_visible_to_every_agent(
    other_agent: User, db: None
) -> None:
    attachment = _attach(None)

    response = _client_of(other_agent).get(_url(attachment))

    assert response.status_code == 200


def test_anonymous_is_sent_to_the_login_page(case: Case) -> None:
    attachment = _attach(case)
    url = _url(attachment)

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next={url}"


def test_an_unknown_attachment_is_404(web_client: Client, db: None) -> None:
    response = web_client.get(reverse("conversations:attachment", args=[999_999]))

    assert response.status_code == 404


def test_a_file_missing_from_storage_is_404_not_500(
    web_client: Client, case: Case
) -> None:
    attachment = _attach(case)
    attachment.file.storage.delete(attachment.file.name)

    response = web_client.get(_url(attachment))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("filename", "disposition"),
    [
        (
            "facture.pdf",
            "attachment; filename=\"facture.pdf\"; filename*=UTF-8''facture.pdf",
        ),
        (
            'a"b\\c.pdf',
            "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%5Cc.pdf",
        ),
        (
            "日本.pdf",
            "attachment; filename=\".pdf\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.pdf",
        ),
    ],
)
def test_the_file_name_is_quoted_safely(
    web_client: Client, case: Case, filename: str, disposition: str
) -> None:
    attachment = _attach(case, filename)

    response = web_client.get(_url(attachment))

    assert response["Content-Disposition"] == disposition


def test_the_timeline_links_each_attachment(web_client: Client, case: Case) -> None:
    attachment = _attach(case)

    response = web_client.get(reverse("cases:detail", args=[case.pk]))

    assert f'href="{_url(attachment)}"' in response.content.decode()
