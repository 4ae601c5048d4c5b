"""Issue 17, class 2: a spam complaint (an ARF feedback-loop report, a cloud mail
service's complaint notice) is its own kind. The sent email stays delivered and
carries the complaint, the person gets no more marketing email (their consent is
withdrawn, audited), no case is opened and nothing is recorded as a bounce."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from amiable.audit.models import AuditEvent
from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.customers.models import Consent, ConsentPurpose, Customer
from amiable.customers.selectors import consent_current
from amiable.customers.services import consent_record
from amiable.inbound.classify import EmailKind, email_classify
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.parsing import email_parse
from amiable.inbound.services import email_ingest
from amiable.inbound.services.complaints import COMPLAINT_SOURCE
from tests.inbound.conftest import EML_DIR

ROBOTS_DIR = EML_DIR / "robots"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (ROBOTS_DIR / "expected.json").read_text(encoding="utf-8")
)
SENT_ID = b"sent-by-us-arf@amiable.localhost"
# The reports that name the email we sent (the text-only notice names none).
NAMING_THE_SENT_EMAIL = sorted(
    name
    for name, facts in EXPECTED.items()
    if facts["status"] == "complaint" and SENT_ID in (ROBOTS_DIR / name).read_bytes()
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(
    make_email: Callable[..., bytes],
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> Interaction:
    """The acknowledgement we sent Élodie (elodie.martin@exemple.fr), delivered,
    after she opened a case; she had agreed to marketing email."""
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=make_email(message_id="<c@exemple.fr>"), source="smtp")
    consent_record(
        actor=None,
        customer=Customer.objects.get(),
        purpose=ConsentPurpose.MARKETING_EMAIL,
        is_granted=True,
        source="checkout",
    )
    interaction = Interaction.objects.get(direction=Direction.OUTBOUND)
    assert interaction.metadata["delivery"] == "sent"
    return interaction


def _marketing(customer: Customer) -> Consent:
    return next(
        consent
        for consent in consent_current(customer=customer)
        if consent.purpose == ConsentPurpose.MARKETING_EMAIL
    )


def test_every_complaint_fixture_but_one_names_the_sent_email() -> None:
    assert len(NAMING_THE_SENT_EMAIL) >= 7


@pytest.mark.parametrize("name", NAMING_THE_SENT_EMAIL)
def test_a_complaint_keeps_the_email_delivered_and_stops_marketing(
    name: str, sent: Interaction
) -> None:
    raw = (ROBOTS_DIR / name).read_bytes().replace(SENT_ID, sent.message_id.encode())

    result = email_ingest(raw=raw, source="smtp")

    assert result.status == InboundStatus.COMPLAINT, result.reason
    assert result.interaction_id == sent.pk
    sent.refresh_from_db()
    assert sent.metadata["delivery"] == "sent"  # delivered: not bounced
    assert "bounced_at" not in sent.metadata
    assert sent.metadata["complaint_type"] in {"abuse", "fraud"}
    assert Case.objects.count() == 1  # hers, from before; the report opened none
    consent = _marketing(sent.customer)
    assert not consent.is_granted
    assert consent.source == COMPLAINT_SOURCE
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"consent.record", "interaction.complaint"} <= actions


def test_the_same_complaint_twice_withdraws_consent_once(sent: Interaction) -> None:
    raw = (ROBOTS_DIR / "arf-abuse-standard.eml").read_bytes()
    raw = raw.replace(SENT_ID, sent.message_id.encode())
    email_ingest(raw=raw, source="smtp")
    again = raw.replace(b"<arf-abuse-standard@", b"<arf-abuse-standard-2@")

    assert email_ingest(raw=again, source="smtp").status == InboundStatus.COMPLAINT

    withdrawals = Consent.objects.filter(source=COMPLAINT_SOURCE)
    assert withdrawals.count() == 1
    complaint_events = AuditEvent.objects.filter(action="interaction.complaint")
    assert complaint_events.count() == 1


def test_a_complaint_about_an_email_we_no_longer_know_finds_the_person(
    sent: Interaction,
) -> None:
    raw = (ROBOTS_DIR / "arf-removal-recipient-no-rcpt.eml").read_bytes()
    raw = raw.replace(SENT_ID, b"long-gone@amiable.localhost")

    result = email_ingest(raw=raw, source="smtp")

    assert result.status == InboundStatus.COMPLAINT
    assert InboundEmail.objects.get(pk=result.email_id).customer_id == sent.customer_id
    assert not _marketing(sent.customer).is_granted


def test_a_complaint_about_a_stranger_creates_nobody() -> None:
    result = email_ingest(
        raw=(ROBOTS_DIR / "arf-abuse-standard.eml").read_bytes(), source="smtp"
    )

    assert result.status == InboundStatus.COMPLAINT
    assert Customer.objects.count() == 0
    assert Consent.objects.count() == 0


def test_an_arf_report_is_read_as_a_complaint_not_a_failed_delivery() -> None:
    parsed = email_parse((ROBOTS_DIR / "arf-headers-only.eml").read_bytes())

    assert parsed.feedback is not None
    assert parsed.feedback.feedback_type == "abuse"
    assert parsed.feedback.recipients == ["elodie.martin@exemple.fr"]
    assert parsed.feedback.original_message_ids == [SENT_ID.decode()]
    verdict = email_classify(parsed, own_addresses=frozenset())
    assert verdict.kind == EmailKind.COMPLAINT


def test_a_customer_pasting_a_complaint_json_is_still_a_customer(
    make_email: Callable[..., bytes],
) -> None:
    body = (
        "Bonjour, votre service m'a renvoyé ceci, je ne comprends pas :\n"
        '{"notificationType":"Complaint","complaint":{"complainedRecipients":[]}}'
    )

    result = email_ingest(raw=make_email(body=body), source="smtp")

    assert result.status == InboundStatus.OPENED
