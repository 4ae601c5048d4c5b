"""Replies written in Markdown: the HTML part is rendered and sanitised (no raw
HTML, no script, no javascript: link), the plain-text part is the source; the
preview shows both; without the box ticked nothing is rendered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client

from amiable.accounts.models import User
from amiable.cases.models import Case
from amiable.conversations.markdown import markdown_html
from amiable.conversations.models import Direction, Interaction
from tests.factories import CaseFactory, IdentityFactory

SOURCE = (
    "Bonjour **Élodie**,\n\n- un colis neuf\n- un avoir de *10 €*\n\n"
    "[Suivi](https://suivi.example/6A555) <script>alert(1)</script> "
    "[piège](javascript:alert(1))"
)


@pytest.fixture
def case(agent: User) -> Case:
    case = CaseFactory.create(team=agent.team, assignee=agent)
    IdentityFactory.create(customer=case.customer, value="elodie@exemple.fr")
    return case


def test_markdown_becomes_sanitised_html() -> None:
    html = markdown_html(SOURCE)

    assert "<strong>Élodie</strong>" in html
    assert "<li>un colis neuf</li>" in html
    assert "<em>10 €</em>" in html
    assert 'href="https://suivi.example/6A555"' in html
    assert "<script" not in html
    assert 'href="javascript' not in html  # left as text, never a link
    assert markdown_html("   ") == ""


@pytest.mark.django_db
def test_a_markdown_reply_sends_html_and_the_source_as_text(
    web_client: Client,
    case: Case,
    settings: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = web_client.post(
            f"/cases/{case.pk}/reply/",
            {"body": SOURCE, "is_markdown": "on", "version": case.version},
        )

    assert response.status_code == 302
    reply = Interaction.objects.get(direction=Direction.OUTBOUND)
    assert reply.body_text == SOURCE
    assert "<strong>Élodie</strong>" in reply.body_html
    [message] = mail.outbox
    assert isinstance(message, EmailMultiAlternatives)
    html = message.alternatives[0][0]
    assert "<strong>Élodie</strong>" in str(html)
    assert "<script" not in str(html)
    assert "Bonjour **Élodie**" in message.body


@pytest.mark.django_db
def test_without_markdown_the_text_stays_as_written(
    web_client: Client, case: Case
) -> None:
    web_client.post(
        f"/cases/{case.pk}/reply/", {"body": "**pas gras**", "version": case.version}
    )

    reply = Interaction.objects.get(direction=Direction.OUTBOUND)
    assert reply.body_html == ""


@pytest.mark.django_db
def test_the_preview_shows_the_formatted_reply(web_client: Client, case: Case) -> None:
    response = web_client.post(
        f"/cases/{case.pk}/reply/preview/", {"body": SOURCE, "is_markdown": "on"}
    )

    page = response.content.decode()
    assert 'data-testid="preview-html"' in page
    assert "<strong>Élodie</strong>" in page
    assert "<script>alert" not in page
