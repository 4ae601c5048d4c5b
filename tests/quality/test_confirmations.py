"""Resolution confirmed by the customer: the email on resolve, the public signed
link (a GET records nothing), "no" reopens the case, "yes" is recorded; links
cannot be forged, reused or answered twice, and expire."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.cases.models import Case, CaseStatus
from amiable.cases.services import case_change_status
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.events.models import DomainEvent
from amiable.events.services import event_deliver
from amiable.feedback.signing import token_make as survey_token
from amiable.quality.models import (
    ConfirmationStatus,
    FirstContact,
    ResolutionConfirmation,
)
from amiable.quality.selectors import confirmation_from_token
from amiable.quality.services import confirmation_request
from amiable.quality.signing import token_make
from tests.factories import CaseFactory, CustomerFactory
from tests.factories.quality import ConfirmationFactory
from tests.quality.conftest import (
    OnCommit,
    customer_with_email,
    link,
    resolve_through_api,
)


def test_resolving_a_case_emails_the_question_with_two_links(
    agent_api: Client,
    open_case: Case,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    confirmation = resolve_through_api(
        agent_api, open_case, django_capture_on_commit_callbacks
    )

    assert confirmation.status == ConfirmationStatus.SENT
    assert confirmation.language == "fr"
    message = confirmation.interaction
    assert message is not None
    assert (message.case_id, message.channel, message.direction) == (
        open_case.pk,
        Channel.EMAIL,
        Direction.OUTBOUND,
    )
    message.refresh_from_db()
    assert message.metadata["delivery"] == "sent"
    [email] = mail.outbox
    assert email.to == ["claire@exemple.fr"]
    assert email.subject == f"[{open_case.reference}] Votre problème est-il résolu ?"
    tokens = re.findall(
        r"http://127\.0\.0\.1:8000/r/([^/\s]+)/\?answer=(yes|no)", str(email.body)
    )
    assert [answer for _token, answer in tokens] == ["yes", "no"]
    assert tokens[0][0] == tokens[1][0]
    assert confirmation_from_token(tokens[0][0]).confirmation == confirmation
    assert "Bonjour Claire Martin," in email.body


def test_an_english_customer_is_asked_in_english(
    agent: User, agent_api: Client, django_capture_on_commit_callbacks: OnCommit
) -> None:
    case = CaseFactory.create(
        customer=customer_with_email("John Smith", "john@example.co.uk", "en"),
        team=agent.team,
    )

    resolve_through_api(agent_api, case, django_capture_on_commit_callbacks)

    assert mail.outbox[0].subject == f"[{case.reference}] Is your problem solved?"
    assert "Yes, it is solved:" in mail.outbox[0].body


def test_without_an_email_address_nothing_is_sent(agent: User) -> None:
    case = CaseFactory.create(
        customer=CustomerFactory.create(), team=agent.team, status=CaseStatus.RESOLVED
    )

    confirmation = confirmation_request(case_id=case.pk, resolved_at=timezone.now())

    assert confirmation is not None
    assert (confirmation.status, confirmation.interaction) == (
        ConfirmationStatus.NOT_SENT,
        None,
    )
    assert not Interaction.objects.exists()


def test_the_question_is_asked_once_per_resolution(
    agent_api: Client, open_case: Case, django_capture_on_commit_callbacks: OnCommit
) -> None:
    confirmation = resolve_through_api(
        agent_api, open_case, django_capture_on_commit_callbacks
    )
    event = DomainEvent.objects.get(name="case.status_changed")
    handler = "amiable.quality.handlers.confirmation_on_case_resolved"

    assert event_deliver(event_id=event.pk, handler=handler) is False
    again = confirmation_request(
        case_id=open_case.pk, resolved_at=confirmation.resolved_at
    )

    assert again is not None
    assert again.pk == confirmation.pk
    assert ResolutionConfirmation.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.fixture
def sent(
    agent_api: Client, open_case: Case, django_capture_on_commit_callbacks: OnCommit
) -> ResolutionConfirmation:
    return resolve_through_api(agent_api, open_case, django_capture_on_commit_callbacks)


def test_opening_the_link_records_nothing(sent: ResolutionConfirmation) -> None:
    audits = AuditEvent.objects.count()
    client = Client()

    page = client.get(link(sent, "no"))
    head = client.head(link(sent, "yes"))

    html = page.content.decode()
    assert (page.status_code, head.status_code) == (200, 200)
    assert re.search(r'value="no"[^>]*checked', html)
    assert "Votre problème est-il résolu ?" in html
    assert page["Cache-Control"] == "no-store"
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    sent.refresh_from_db()
    assert (sent.answered_at, sent.status) == (None, ConfirmationStatus.SENT)
    assert AuditEvent.objects.count() == audits
    assert Case.objects.get(pk=sent.case_id).status == CaseStatus.RESOLVED


def test_no_reopens_the_case_with_the_customers_words(
    sent: ResolutionConfirmation, django_capture_on_commit_callbacks: OnCommit
) -> None:
    client = Client(enforce_csrf_checks=True)
    url = link(sent)  # one token: a signature carries the second it was made
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "answer": "no",
                "comment": "Toujours rien reçu, le suivi est bloqué depuis 10 jours.",
                "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            },
        )

    assert response.status_code == 302
    assert response["Location"] == f"{url}thanks/"
    case = Case.objects.get(pk=sent.case_id)
    assert (case.status, case.resolved_at) == (CaseStatus.OPEN, None)
    message = Interaction.objects.get(case=case, direction=Direction.INBOUND)
    assert (message.channel, message.body_text) == (
        Channel.PORTAL,
        "Toujours rien reçu, le suivi est bloqué depuis 10 jours.",
    )
    sent.refresh_from_db()
    assert (sent.is_solved, sent.status) == (False, ConfirmationStatus.ANSWERED)
    thanks = client.get(response["Location"]).content.decode()
    assert "est rouverte" in thanks


def test_yes_is_recorded_and_the_case_stays_resolved(
    sent: ResolutionConfirmation,
) -> None:
    client = Client()

    response = client.post(
        link(sent), {"answer": "yes", "first_contact": FirstContact.YES, "comment": ""}
    )

    assert response.status_code == 302
    sent.refresh_from_db()
    assert (sent.is_solved, sent.first_contact) == (True, "yes")
    case = Case.objects.get(pk=sent.case_id)
    assert case.status == CaseStatus.RESOLVED
    activity = Interaction.objects.get(case=case, channel=Channel.SYSTEM)
    assert activity.body_text == "Le client a confirmé que le problème est résolu."


def test_an_answer_is_given_once(sent: ResolutionConfirmation) -> None:
    client = Client()
    client.post(link(sent), {"answer": "yes"})

    again = client.post(link(sent), {"answer": "no", "comment": "finalement non"})

    assert again.status_code == 409
    assert "Vous avez déjà répondu" in again.content.decode()
    sent.refresh_from_db()
    assert (sent.is_solved, sent.comment) == (True, "")
    assert Case.objects.get(pk=sent.case_id).status == CaseStatus.RESOLVED


def test_a_missing_answer_keeps_the_comment(sent: ResolutionConfirmation) -> None:
    response = Client().post(link(sent), {"comment": "Je ne sais pas quoi dire"})

    html = response.content.decode()
    assert response.status_code == 422
    assert "Choisissez oui ou non." in html
    assert "Je ne sais pas quoi dire" in html


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        "test-confirmation-key-000001:1tAbCd:forged",
        signing.TimestampSigner(salt="another.salt").sign(
            "test-confirmation-key-000001"
        ),
    ],
    ids=["garbage", "forged-signature", "another-salt"],
)
def test_forged_tokens_lead_nowhere(db: None, agent: User, token: str) -> None:
    ConfirmationFactory.create(
        case=CaseFactory.create(team=agent.team),
        public_key="test-confirmation-key-000001",
    )

    response = Client().post(f"/r/{token}/", {"answer": "no"})

    assert response.status_code == 404
    assert ResolutionConfirmation.objects.filter(answered_at__isnull=False).count() == 0


def test_a_survey_link_is_not_a_confirmation_link(sent: ResolutionConfirmation) -> None:
    # Same key, the survey app's signature: another salt, refused.
    response = Client().get(f"/r/{survey_token(sent.public_key)}/")

    assert response.status_code == 404


def test_one_customers_link_never_answers_for_another_case(
    sent: ResolutionConfirmation, agent: User
) -> None:
    other_case = CaseFactory.create(team=agent.team, status=CaseStatus.RESOLVED)
    other = ConfirmationFactory.create(case=other_case)

    Client().post(link(sent), {"answer": "no"})

    other.refresh_from_db()
    assert other.answered_at is None
    assert Case.objects.get(pk=other_case.pk).status == CaseStatus.RESOLVED


def test_an_expired_link_is_refused(sent: ResolutionConfirmation) -> None:
    ResolutionConfirmation.objects.filter(pk=sent.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    response = Client().post(link(sent), {"answer": "no"})

    assert response.status_code == 410
    assert Case.objects.get(pk=sent.case_id).status == CaseStatus.RESOLVED


def test_a_reopened_case_replaces_its_link(
    sent: ResolutionConfirmation,
    agent: User,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case_change_status(actor=agent, case=sent.case, status=CaseStatus.OPEN)

    response = Client().post(link(sent), {"answer": "yes"})

    assert response.status_code == 410
    sent.refresh_from_db()
    assert (sent.status, sent.answered_at) == (ConfirmationStatus.SUPERSEDED, None)


def test_resolving_again_asks_again_with_a_new_link(
    sent: ResolutionConfirmation,
    agent: User,
    django_capture_on_commit_callbacks: OnCommit,
) -> None:
    Client().post(link(sent), {"answer": "no"})
    case = Case.objects.get(pk=sent.case_id)
    with django_capture_on_commit_callbacks(execute=True):
        case_change_status(actor=agent, case=case, status=CaseStatus.RESOLVED)

    newer = ResolutionConfirmation.objects.exclude(pk=sent.pk).get(case=case)
    assert newer.public_key != sent.public_key
    assert newer.status == ConfirmationStatus.SENT
    assert len(mail.outbox) == 2


def test_a_customer_link_opens_no_staff_door(sent: ResolutionConfirmation) -> None:
    token = token_make(sent.public_key)
    client = Client(headers={"Authorization": f"Bearer {token}"})

    assert client.get(f"/api/v1/cases/{sent.case_id}").status_code == 401
    assert client.get("/api/v1/quality/confirmations").status_code == 401
    assert Client().get(f"/cases/{sent.case_id}/").status_code == 302
