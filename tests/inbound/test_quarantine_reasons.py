"""Issue 17, class 10: a quarantine reason is a stable code plus the sentence the
reader reads in their language (admin, API); rows stored before codes keep their
text; an internationalised address (RFC 6532) is a customer, not a quarantine."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import Settings

from amiable.accounts.models import User
from amiable.core.errors import ValidationError
from amiable.customers.identities import normalize_email
from amiable.customers.models import Identity
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.reasons import QuarantineCode, reason_text
from amiable.inbound.services import email_ingest
from tests.inbound.parts_fixtures import utf8_address_message

pytestmark = pytest.mark.django_db
NOT_MAIL = b"\x00\x01binary blob, not an email\x00"
NO_SENDER = b"To: support@amiable.localhost\r\nSubject: ?\r\n\r\nwho am I?\r\n"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"   \r\n", QuarantineCode.EMPTY),
        (NOT_MAIL, QuarantineCode.NO_HEADERS),
        (NO_SENDER, QuarantineCode.NO_SENDER),
        (
            b"From: not an address\r\nTo: support@amiable.localhost\r\n"
            b"Subject: x\r\n\r\nbody\r\n",
            QuarantineCode.NO_VALID_SENDER,
        ),
    ],
)
def test_each_quarantine_stores_its_code_beside_the_detail(
    raw: bytes, code: str
) -> None:
    result = email_ingest(raw=raw, source="smtp")

    email = InboundEmail.objects.get(pk=result.email_id)
    assert email.status == InboundStatus.QUARANTINED
    assert email.reason_code == code
    assert email.reason  # the technical detail is kept


def test_a_message_over_the_limit_has_the_too_large_code(settings: Settings) -> None:
    settings.AMIABLE_INBOUND_MAX_BYTES = 100

    result = email_ingest(raw=b"From: a@b.fr\r\n\r\n" + b"x" * 200, source="imap")

    email = InboundEmail.objects.get(pk=result.email_id)
    assert email.reason_code == QuarantineCode.TOO_LARGE
    with translation.override("fr"):
        assert email.reason_text.startswith("Le message dépasse la taille")
    with translation.override("en"):
        assert email.reason_text.startswith("The message is larger than the limit")
    assert "the limit is 100" in email.reason_text


def test_the_reason_reads_in_french_and_english_and_older_rows_as_they_were() -> None:
    with translation.override("fr"):
        french = reason_text("no_sender", "no sender: the From header is missing")
        older = reason_text("", "no sender: the From header is missing")
    with translation.override("en"):
        english = reason_text("no_sender", "")

    assert french == (
        "Le message n’a pas d’expéditeur (pas d’en-tête From). "
        "Détail : no sender: the From header is missing"
    )
    assert english == "The message has no sender (no From header)."
    assert older == "no sender: the From header is missing"


def test_the_admin_quarantine_shows_the_reason_in_the_reader_s_language(
    admin_user: User,
) -> None:
    email_ingest(raw=NOT_MAIL, source="imap")
    InboundEmail.objects.create(  # a row from before reason codes
        dedupe_key="sha256:old",
        source="imap",
        received_at=InboundEmail.objects.get().received_at,
        raw_sha256="0" * 64,
        raw_size=1,
        status=InboundStatus.QUARANTINED,
        reason="legacy reason text",
    )
    client = Client()
    client.force_login(admin_user)
    url = reverse("admin:inbound_inboundemail_changelist")

    french = client.get(url, {"status": "quarantined"}, HTTP_ACCEPT_LANGUAGE="fr")
    english = client.get(url, {"status": "quarantined"}, HTTP_ACCEPT_LANGUAGE="en")

    assert "Aucun en-tête d’e-mail" in french.content.decode()
    assert "No email headers were found" in english.content.decode()
    assert "legacy reason text" in french.content.decode()


def test_the_api_gives_the_code_and_the_reason_in_the_reader_s_language(
    admin_user: User, token_for: Callable[[User], str]
) -> None:
    email_ingest(raw=NO_SENDER, source="imap")
    client = Client(headers={"Authorization": f"Bearer {token_for(admin_user)}"})

    french = client.get("/api/v1/inbound/emails", headers={"accept-language": "fr"})
    english = client.get("/api/v1/inbound/emails", headers={"accept-language": "en"})

    row_fr, row_en = french.json()["items"][0], english.json()["items"][0]
    assert row_fr["reason_code"] == row_en["reason_code"] == "no_sender"
    assert (
        row_fr["reason"] == row_en["reason"] == "no sender: the From header is missing"
    )
    assert row_fr["reason_text"].startswith("Le message n’a pas d’expéditeur")
    assert row_en["reason_text"].startswith("The message has no sender")


@pytest.mark.parametrize(
    ("sender", "address"),
    [
        ("Élodie Martin <élodie@exemple.fr>", "élodie@exemple.fr"),
        ("用户@例子.广告", "用户@例子.广告"),
        (
            "=?utf-8?q?Zo=C3=AB?= <Zoë.Dupont@bücher.example>",
            "zoë.dupont@bücher.example",
        ),
        ("Ηλίας <ηλίας@παράδειγμα.ελ>", "ηλίας@παράδειγμα.ελ"),
    ],
)
def test_an_internationalised_address_is_a_customer_not_a_quarantine(
    sender: str, address: str
) -> None:
    raw = utf8_address_message(sender, f"intl-{len(address)}")

    result = email_ingest(raw=raw, source="smtp")

    assert result.status == InboundStatus.OPENED, result.reason
    identity = Identity.objects.get(normalized=address)
    email = InboundEmail.objects.get(pk=result.email_id)
    assert email.customer_id == identity.customer_id
    assert email.sender == address


def test_the_same_international_sender_is_found_again_not_created_twice() -> None:
    first = email_ingest(
        raw=utf8_address_message("Élodie <élodie@exemple.fr>", "a"), source="smtp"
    )
    second = email_ingest(
        raw=utf8_address_message("ÉLODIE <Élodie@Exemple.fr>", "b"), source="smtp"
    )

    assert first.email_id != second.email_id
    emails = InboundEmail.objects.filter(pk__in=[first.email_id, second.email_id])
    assert len({email.customer_id for email in emails}) == 1


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("Élodie@Exemple.fr", "élodie@exemple.fr"),
        ("用户@例子.广告", "用户@例子.广告"),
        ("josé.garcía+pedidos@correo.example", "josé.garcía+pedidos@correo.example"),
        ("élodie@exemple", None),  # no top-level domain
        ("él odie@exemple.fr", None),  # a space is no atom
        ("élodie..martin@exemple.fr", None),  # an empty atom
        ("élodie@", None),
        ("é" * 40 + "@exemple.fr", None),  # 80 bytes: over the 64 of a local part
    ],
)
def test_an_rfc_6532_address_is_valid_and_a_malformed_one_is_not(
    value: str, accepted: str | None
) -> None:
    if accepted is None:
        with pytest.raises(ValidationError):
            normalize_email(value)
    else:
        assert normalize_email(value) == accepted


@pytest.mark.parametrize(
    ("sender", "address"),
    [
        ("=?utf-8?q?=C3=A9lodie?=@exemple.fr", "élodie@exemple.fr"),
        (
            "Yòng <=?utf-8?b?55So5oi3?=@=?utf-8?b?5L6L5a2QLuW5v+WRig==?=>",
            "用户@例子.广告",
        ),
    ],
)
def test_a_utf8_address_sent_in_encoded_words_is_the_same_person(
    sender: str, address: str
) -> None:
    """Mailers without SMTPUTF8 (Python's own generator among them) write a UTF-8
    address as RFC 2047 words: read as the address it stands for."""
    first = email_ingest(
        raw=utf8_address_message(address, f"plain-{len(sender)}"), source="smtp"
    )

    second = email_ingest(
        raw=utf8_address_message(sender, f"words-{len(sender)}"), source="smtp"
    )

    assert second.status == InboundStatus.OPENED, second.reason
    emails = InboundEmail.objects.filter(pk__in=[first.email_id, second.email_id])
    assert {email.sender for email in emails} == {address}
    assert len({email.customer_id for email in emails}) == 1
