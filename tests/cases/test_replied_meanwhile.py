"""``case_reply(seen_through=…)``: only a colleague's reply to the customer after
what the agent saw stops a reply, once, until they confirm; the notification
e-mail goes once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from amiable.accounts.models import Role, Team, User
from amiable.cases.errors import CaseRepliedMeanwhileError
from amiable.cases.models import Case, CaseStatus
from amiable.cases.selectors.live import case_last_interaction_id
from amiable.cases.services import (
    case_add_note,
    case_change_status,
    case_forward,
    case_record_inbound,
    case_reply,
)
from amiable.conversations.models import Channel
from amiable.notifications.emailing import notification_email_deliver
from amiable.notifications.models import Notification
from tests.factories import CaseFactory, UserFactory
from tests.peers.mail_sink import SmtpSink


@pytest.fixture
def case(team: Team, agent: User) -> Case:
    return CaseFactory.create(team=team, assignee=agent, status=CaseStatus.OPEN)


@pytest.fixture
def colleague(team: Team) -> User:
    return UserFactory.create(
        first_name="Marie", last_name="Roy", role=Role.AGENT, team=team
    )


def reply(agent: User, case: Case, seen: int, *, is_confirmed: bool = False) -> None:
    case_reply(
        actor=agent,
        case=case,
        body_text="Notre réponse",
        seen_through=seen,
        is_confirmed=is_confirmed,
    )


def test_a_colleagues_reply_after_what_the_agent_saw_refuses_once(
    agent: User, colleague: User, case: Case
) -> None:
    seen = case_last_interaction_id(case=case)
    case_reply(actor=colleague, case=case, body_text="Je m’en occupe.")

    with pytest.raises(CaseRepliedMeanwhileError) as refused:
        reply(agent, case, seen)
    reply(agent, case, seen, is_confirmed=True)

    assert refused.value.status == 409
    assert refused.value.extra["replied_by"] == ["Marie Roy"]
    assert "Marie Roy a répondu au client pendant que vous écriviez" in (
        refused.value.message
    )
    assert case.interactions.filter(body_text="Notre réponse").count() == 1


@pytest.mark.parametrize(
    "meanwhile",
    ["note", "customer message", "status", "forward", "own reply"],
)
def test_other_changes_meanwhile_do_not_stop_a_reply(
    agent: User, colleague: User, case: Case, meanwhile: str
) -> None:
    seen = case_last_interaction_id(case=case)
    actions: dict[str, Callable[[], object]] = {
        "note": lambda: case_add_note(actor=colleague, case=case, body_text="Note"),
        "customer message": lambda: case_record_inbound(
            customer=case.customer, case=case, channel=Channel.EMAIL, body_text="Et ?"
        ),
        "status": lambda: case_change_status(
            actor=colleague, case=case, status=CaseStatus.WAITING_THIRD_PARTY
        ),
        "forward": lambda: case_forward(
            actor=colleague,
            case=case,
            to=["entrepot@logistique.example"],
            body_text="Pouvez-vous vérifier ?",
        ),
        "own reply": lambda: case_reply(actor=agent, case=case, body_text="Un mot."),
    }
    actions[meanwhile]()
    case.refresh_from_db()

    reply(agent, case, seen)

    assert case.interactions.filter(body_text="Notre réponse").count() == 1


def test_a_colleagues_reply_the_agent_saw_does_not_stop_theirs(
    agent: User, colleague: User, case: Case
) -> None:
    case_reply(actor=colleague, case=case, body_text="Vu par l’agent.")
    seen = case_last_interaction_id(case=case)

    reply(agent, case, seen)

    assert case.interactions.filter(body_text="Notre réponse").count() == 1


def test_the_notification_e_mail_goes_once(
    agent: User, case: Case, smtp_sink: SmtpSink
) -> None:
    User.objects.filter(pk=agent.pk).update(
        email="roger@amiable.test", notify_by_email=True
    )
    case.refresh_from_db()
    case_record_inbound(
        customer=case.customer, case=case, channel=Channel.EMAIL, body_text="Et ?"
    )
    notification = Notification.objects.get(recipient=agent)

    first = notification_email_deliver(notification_id=notification.pk)
    again = notification_email_deliver(notification_id=notification.pk)

    assert (first, again) == (True, False)
    assert len(smtp_sink.wait_for(1)) == 1


def test_the_api_refuses_a_reply_after_a_colleagues_until_send_anyway(
    api_client: Client, case: Case, colleague: User
) -> None:
    seen = case_last_interaction_id(case=case)
    case_reply(actor=colleague, case=case, body_text="Je m’en occupe.")
    path = f"/api/v1/cases/{case.pk}/replies"
    body = {"body_text": "Notre réponse", "seen": seen}

    refused = api_client.post(path, body, content_type="application/json")
    sent = api_client.post(
        path, body | {"send_anyway": True}, content_type="application/json"
    )

    assert (refused.status_code, refused.json()["code"]) == (409, "version_conflict")
    assert sent.status_code == 201
