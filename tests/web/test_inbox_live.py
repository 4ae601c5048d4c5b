"""The live inbox (a poll answering 204 while its first page holds), the unread
mark of a customer's reply, its notification and the opt-in e-mail."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from amiable.accounts.models import Team, User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseStatus
from amiable.cases.services import case_change_status, case_record_inbound
from amiable.conversations.models import Channel
from amiable.notifications.models import Notification
from tests.factories import CaseFactory, CustomerFactory
from tests.peers.mail_sink import SmtpSink
from tests.web.conftest import HTMX

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
INBOX = {"view": "all"}


@pytest.fixture
def case(team: Team, agent: User) -> Case:
    customer = CustomerFactory.create(name="Jeanne Martin")
    return CaseFactory.create(
        customer=customer,
        team=team,
        assignee=agent,
        subject="Colis abîmé",
        status=CaseStatus.OPEN,
    )


def fingerprint(client: Client) -> str:
    content = client.get(reverse("cases:inbox"), INBOX).content.decode()
    found = re.search(r"hx-vals='\{\"since\": \"([0-9a-f]+)\"\}'", content)
    assert found is not None
    return found[1]


def customer_writes(case: Case, text: str = "Toujours rien reçu.") -> None:
    case_record_inbound(
        customer=case.customer, case=case, channel=Channel.EMAIL, body_text=text
    )


def test_inbox_poll_answers_204_in_one_query_while_the_page_holds(
    web_client: Client,
    case: Case,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    since = fingerprint(web_client)

    # The session and the user (authentication), then the page's cases.
    with django_assert_num_queries(3):
        response = web_client.get(
            reverse("cases:inbox_changes"),
            INBOX | {"since": since},
            headers=HTMX | {"HX-Target": "case-results"},
        )

    assert response.status_code == 204


@pytest.mark.parametrize("change", ["new case", "customer reply", "status"])
def test_inbox_poll_returns_the_results_after_a_change(
    web_client: Client, case: Case, team: Team, agent: User, change: str
) -> None:
    since = fingerprint(web_client)
    if change == "new case":
        CaseFactory.create(team=team, subject="Nouvelle demande")
    elif change == "customer reply":
        customer_writes(case)
    else:
        case_change_status(
            actor=agent, case=case, status=CaseStatus.WAITING_THIRD_PARTY
        )

    response = web_client.get(
        reverse("cases:inbox_changes"),
        INBOX | {"since": since},
        headers=HTMX | {"HX-Target": "case-results"},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="case-results"' in content
    assert "<html" not in content  # the results only, not the page
    assert f'"since": "{since}"' not in content


def test_a_customer_reply_notifies_the_assignee_and_marks_the_case_unread(
    web_client: Client, case: Case, agent: User
) -> None:
    customer_writes(case, "Mon colis est arrivé cassé.")

    inbox = web_client.get(reverse("cases:inbox"), INBOX).content.decode()
    page = web_client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    cleared = web_client.post(reverse("cases:mark_read", args=[case.pk]), headers=HTMX)
    after = web_client.get(reverse("cases:inbox"), INBOX).content.decode()

    notification = Notification.objects.get(recipient=agent)
    assert (notification.kind, notification.url) == (
        "case.customer_replied",
        reverse("cases:detail", args=[case.pk]),
    )
    assert notification.title == (
        f"Jeanne Martin a répondu sur {case.reference} : Colis abîmé"
    )
    assert notification.body == "Mon colis est arrivé cassé."
    assert inbox.count('data-testid="unread"') == 1
    assert f'hx-post="{reverse("cases:mark_read", args=[case.pk])}"' in page
    assert cleared.status_code == 204
    assert 'data-testid="unread"' not in after
    assert Notification.objects.get(recipient=agent).read_at is not None


def test_an_unassigned_case_notifies_nobody(web_client: Client, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(assignee=None)
    case.refresh_from_db()

    customer_writes(case)

    assert Notification.objects.count() == 0


def test_opting_in_sends_the_notification_by_e_mail(
    web_client: Client,
    case: Case,
    agent: User,
    smtp_sink: SmtpSink,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    User.objects.filter(pk=agent.pk).update(email="roger@amiable.test")
    web_client.post(reverse("web:account_notifications"), {"notify_by_email": "on"})
    case.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        customer_writes(case, "Mon colis est arrivé cassé.")

    [message] = smtp_sink.wait_for(1)
    assert message["To"] == "roger@amiable.test"
    assert message["Subject"].strip() == (
        f"Jeanne Martin a répondu sur {case.reference} : Colis abîmé"
    )
    body = message.get_content()
    assert "Mon colis est arrivé cassé." in body
    assert f"/cases/{case.pk}/" in body
    assert Notification.objects.get(recipient=agent).emailed_at is not None
    assert AuditEvent.objects.filter(action="user.notify_by_email").count() == 1


def test_without_opting_in_no_e_mail_goes(
    case: Case,
    agent: User,
    smtp_sink: SmtpSink,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    User.objects.filter(pk=agent.pk).update(email="roger@amiable.test")
    case.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        customer_writes(case)

    assert smtp_sink.wait_for(1, timeout=0.5) == []
    assert Notification.objects.get(recipient=agent).emailed_at is None


def test_the_preference_is_on_the_account_page_and_turns_off(
    web_client: Client, agent: User
) -> None:
    web_client.post(reverse("web:account_notifications"), {"notify_by_email": "on"})
    page = web_client.get(reverse("web:account_security")).content.decode()
    web_client.post(reverse("web:account_notifications"), {})

    agent.refresh_from_db()
    assert 'name="notify_by_email" value="on" checked' in page
    assert agent.notify_by_email is False
