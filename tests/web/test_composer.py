"""The composer: a reply to an email goes from the mailbox the customer wrote to,
with its signature, its copies and its attachments; bad input keeps the text;
the preview writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from amiable.accounts.models import Team
from amiable.cases.models import Case
from amiable.conversations.models import Direction
from amiable.inbound.models import Mailbox
from amiable.inbound.services import email_ingest
from tests.factories.inbound import MailboxFactory
from tests.inbound.conftest import build_email
from tests.web.conftest import HTMX

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _immediate_tasks_and_locmem_mail(settings: Settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEFAULT_FROM_EMAIL = "noreply@amiable.localhost"


@pytest.fixture
def mailbox(team: Team) -> Mailbox:
    MailboxFactory.create(address="support@amiable.localhost", team=team)
    return MailboxFactory.create(
        name="Service après-vente",
        address="sav@boutique.example",
        team=team,
        signature="Boutique Exemple — SAV\n01 23 45 67 89",
    )


@pytest.fixture
def case(mailbox: Mailbox) -> Case:
    result = email_ingest(
        raw=build_email(to="sav@boutique.example", subject="Colis abîmé"),
        source="smtp",
        mailbox=mailbox,
    )
    assert result.case_id is not None
    mail.outbox.clear()  # the acknowledgement
    return Case.objects.get(pk=result.case_id)


def reply_url(case: Case) -> str:
    return reverse("cases:reply", args=[case.pk])


def test_the_page_says_which_mailbox_the_reply_goes_from(
    web_client: Client, case: Case
) -> None:
    content = web_client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert (
        "De Service après-vente &lt;sav@boutique.example&gt;, l’adresse à laquelle"
        " le client a écrit." in content
    )


def test_a_reply_goes_from_the_mailbox_with_copies_and_attachments(
    web_client: Client, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = web_client.post(
            reply_url(case),
            {
                "version": case.version,
                "body": "Votre colis repart demain.",
                "cc": "entrepot@logistique.example, Chef@Boutique.example",
                "bcc": "archive@boutique.example",
                "attachments": [SimpleUploadedFile("bon.png", PNG, "image/png")],
            },
        )

    assert response.status_code == 302
    (sent,) = mail.outbox
    assert isinstance(sent, EmailMultiAlternatives)
    assert sent.from_email == "Service après-vente <sav@boutique.example>"
    assert sent.to == ["elodie.martin@exemple.fr"]
    assert sent.cc == ["entrepot@logistique.example", "Chef@Boutique.example"]
    assert sent.bcc == ["archive@boutique.example"]
    assert sent.attachments == [("bon.png", PNG, "image/png")]
    assert "Votre colis repart demain." in sent.body
    assert "Boutique Exemple — SAV\n01 23 45 67 89" in sent.body
    html = sent.alternatives[0][0]
    assert "Boutique Exemple — SAV<br>01 23 45 67 89" in str(html)
    reply = case.interactions.get(direction=Direction.OUTBOUND, author__isnull=False)
    assert reply.metadata["from_address"] == "sav@boutique.example"
    assert [a.filename for a in reply.attachments.all()] == ["bon.png"]


def test_without_a_known_mailbox_the_reply_goes_from_the_default_sender(
    web_client: Client,
    case: Case,
    mailbox: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(is_active=False)

    with django_capture_on_commit_callbacks(execute=True):
        web_client.post(reply_url(case), {"version": case.version, "body": "Bonjour"})

    (sent,) = mail.outbox
    assert sent.from_email == "noreply@amiable.localhost"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "cc",
            "pas-une-adresse",
            "« pas-une-adresse » n’est pas une adresse e-mail valide.",
        ),
        ("bcc", "a@b.example, @x", "« @x » n’est pas une adresse e-mail valide."),
    ],
)
def test_a_bad_copy_address_keeps_the_text_and_sends_nothing(
    web_client: Client, case: Case, field: str, value: str, message: str
) -> None:
    response = web_client.post(
        reply_url(case),
        {"version": case.version, "body": "Texte long à garder", field: value},
        headers=HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert message in content
    assert "Texte long à garder</textarea>" in content
    assert f'value="{value}"' in content
    assert (
        case.interactions.filter(
            direction=Direction.OUTBOUND, author__isnull=False
        ).count()
        == 0
    )
    assert mail.outbox == []


def test_a_refused_attachment_keeps_the_text_and_asks_to_attach_again(
    web_client: Client, case: Case
) -> None:
    response = web_client.post(
        reply_url(case),
        {
            "version": case.version,
            "body": "Voici le programme",
            "attachments": [
                SimpleUploadedFile("outil.exe", b"MZ\x90\x00", "application/pdf")
            ],
        },
        headers=HTMX,
    )

    content = response.content.decode()
    assert response.status_code == 422
    assert "Voici le programme</textarea>" in content
    assert 'data-testid="attach-again"' in content
    assert (
        case.interactions.filter(
            direction=Direction.OUTBOUND, author__isnull=False
        ).count()
        == 0
    )


def test_the_preview_shows_the_email_and_writes_nothing(
    web_client: Client, case: Case
) -> None:
    version = case.version
    response = web_client.post(
        reverse("cases:reply_preview", args=[case.pk]),
        {"body": "Bonjour Élodie", "cc": "chef@boutique.example"},
        headers=HTMX,
    )

    content = response.content.decode()
    case.refresh_from_db()
    assert response.status_code == 200
    assert "Service après-vente &lt;sav@boutique.example&gt;" in content
    assert "chef@boutique.example" in content
    assert "Bonjour Élodie\n\n-- \n" in content
    assert "Boutique Exemple — SAV\n01 23 45 67 89" in content
    assert case.version == version
    assert (
        case.interactions.filter(
            direction=Direction.OUTBOUND, author__isnull=False
        ).count()
        == 0
    )


def test_the_preview_of_another_teams_case_is_404(
    other_client: Client, case: Case
) -> None:
    response = other_client.post(
        reverse("cases:reply_preview", args=[case.pk]), {"body": "x"}
    )

    assert response.status_code == 404
