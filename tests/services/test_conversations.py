"""Recording interactions: idempotency, validation, sanitising and attachments."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from amiable.accounts.models import User
from amiable.audit.models import AuditEvent
from amiable.conversations.attachments import AttachmentIn, check_attachment
from amiable.conversations.errors import AttachmentRejectedError
from amiable.conversations.models import Attachment, Channel, Direction, Interaction
from amiable.conversations.sanitising import html_to_text, sanitise_html
from amiable.conversations.services import interaction_record
from amiable.core.errors import ErrorCode, ValidationError
from amiable.customers.models import Customer
from amiable.customers.services import customer_merge
from tests.factories import CaseFactory, CustomerFactory

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


@pytest.mark.django_db
def test_an_inbound_email_is_stored_once_per_channel_and_external_id(
    customer: Customer,
) -> None:
    first = interaction_record(
        actor=None,
        customer=customer,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        subject="Colis",
        body_text="Où est mon colis ?",
        external_id=" <abc@mail.exemple.fr> ",
    )
    replay = interaction_record(
        actor=None,
        customer=customer,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        subject="Colis (bis)",
        body_text="Autre texte",
        external_id="<abc@mail.exemple.fr>",
    )

    assert (first.created, replay.created) == (True, False)
    assert replay.interaction.pk == first.interaction.pk
    stored = Interaction.objects.get()
    assert (stored.external_id, stored.body_text, stored.author) == (
        "<abc@mail.exemple.fr>",
        "Où est mon colis ?",
        None,
    )
    assert AuditEvent.objects.filter(action="interaction.record").count() == 1
    assert AuditEvent.objects.get().actor_label == "inbound"


@pytest.mark.django_db
def test_the_same_external_id_on_another_channel_is_another_interaction(
    customer: Customer,
) -> None:
    for channel in (Channel.EMAIL, Channel.SMS):
        interaction_record(
            actor=None,
            customer=customer,
            channel=channel,
            direction=Direction.INBOUND,
            body_text="Bonjour",
            external_id="42",
        )

    assert sorted(Interaction.objects.values_list("channel", flat=True)) == [
        "email",
        "sms",
    ]


@pytest.mark.django_db
def test_interactions_without_external_id_are_never_deduplicated(
    customer: Customer, agent: User
) -> None:
    for _ in range(2):
        interaction_record(
            actor=agent,
            customer=customer,
            channel=Channel.NOTE,
            direction=Direction.INTERNAL,
            body_text="Rappeler demain",
        )

    assert Interaction.objects.filter(author=agent).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "fields"),
    [
        ({"channel": "pigeon"}, ["channel"]),
        ({"direction": "sideways"}, ["direction"]),
        ({"channel": Channel.NOTE, "direction": Direction.OUTBOUND}, ["direction"]),
        ({"body_text": "   ", "body_html": " "}, ["body_text"]),
        ({"body_text": "x" * 200_001}, ["body_text"]),
    ],
)
def test_invalid_interactions_are_refused(
    customer: Customer, overrides: dict[str, str], fields: list[str]
) -> None:
    arguments: dict[str, Any] = {
        "channel": Channel.EMAIL,
        "direction": Direction.INBOUND,
        "body_text": "Bonjour",
    }

    with pytest.raises(ValidationError) as caught:
        interaction_record(actor=None, customer=customer, **{**arguments, **overrides})

    assert sorted(caught.value.fields) == fields
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_a_phone_call_may_have_no_notes(customer: Customer, agent: User) -> None:
    recorded = interaction_record(
        actor=agent,
        customer=customer,
        channel=Channel.PHONE,
        direction=Direction.OUTBOUND,
        time_spent_seconds=-5,
    )

    assert recorded.interaction.body_text == ""
    assert recorded.interaction.time_spent_seconds == 0


@pytest.mark.django_db
def test_a_case_of_another_customer_is_refused(customer: Customer) -> None:
    case = CaseFactory.create()

    with pytest.raises(ValidationError) as caught:
        interaction_record(
            actor=None,
            customer=customer,
            case=case,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            body_text="Bonjour",
        )

    assert list(caught.value.fields) == ["case_id"]
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_a_merged_customer_is_refused(supervisor: User, customer: Customer) -> None:
    customer_merge(actor=supervisor, source=customer, target=CustomerFactory.create())
    customer.refresh_from_db()

    with pytest.raises(ValidationError) as caught:
        interaction_record(
            actor=None,
            customer=customer,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            body_text="Bonjour",
        )

    assert list(caught.value.fields) == ["customer_id"]


@pytest.mark.django_db
def test_html_bodies_are_sanitised_and_give_the_text(customer: Customer) -> None:
    recorded = interaction_record(
        actor=None,
        customer=customer,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        body_html=(
            '<p onclick="steal()">Bonjour <b>Madame</b>,</p>'
            "<script>alert(1)</script><p>Merci&nbsp;!</p>"
        ),
    )

    interaction = Interaction.objects.get(pk=recorded.interaction.pk)
    assert interaction.body_html == "<p>Bonjour <b>Madame</b>,</p><p>Merci&nbsp;!</p>"
    assert interaction.body_text == "Bonjour Madame,\nMerci\xa0!"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
        ('<img src="cid:x" onerror="alert(1)">', '<img src="cid:x">'),
        (
            '<a href="javascript:alert(1)">clic</a>',
            '<a rel="noopener noreferrer nofollow">clic</a>',
        ),
        (
            '<a href="https://exemple.fr/suivi" target="_blank">suivi</a>',
            '<a href="https://exemple.fr/suivi" rel="noopener noreferrer nofollow">'
            "suivi</a>",
        ),
        ("<style>p{color:red}</style><p>texte</p>", "<p>texte</p>"),
        ('<iframe src="https://evil.example"></iframe>x', "x"),
        ('<form action="/x"><input name="pw"></form>y', "y"),
        ("<!-- tracking --><p>a</p>", "<p>a</p>"),
        (
            "<p><strong>gras</strong> <em>ital</em></p><ul><li>un</li></ul>",
            "<p><strong>gras</strong> <em>ital</em></p><ul><li>un</li></ul>",
        ),
        (
            '<table><tr><td colspan="2" style="x">a</td></tr></table>',
            '<table><tbody><tr><td colspan="2">a</td></tr></tbody></table>',
        ),
        ("   ", ""),
    ],
)
def test_sanitise_html_removes_active_content_and_keeps_formatting(
    raw: str, expected: str
) -> None:
    assert sanitise_html(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Bonjour,</p><p>Merci</p>", "Bonjour,\nMerci"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("<ul><li>un</li><li>deux</li></ul>", "un\ndeux"),
        ("<p>1 &lt; 2 &amp; 3</p>", "1 < 2 & 3"),
        ("<p>  trop    d'espaces </p>", "trop d'espaces"),
        ("<p>a</p><p></p><p></p><p></p><p>b</p>", "a\n\nb"),
        ("<script>secret()</script>visible", "visible"),
    ],
)
def test_html_to_text(raw: str, expected: str) -> None:
    assert html_to_text(raw) == expected


@pytest.mark.django_db
def test_accepted_attachments_are_stored_with_their_digest(
    customer: Customer,
) -> None:
    recorded = interaction_record(
        actor=None,
        customer=customer,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        body_text="Voici la facture",
        attachments=[
            AttachmentIn("facture.pdf", "application/pdf; name=facture.pdf", PDF),
            AttachmentIn("photo.png", "IMAGE/PNG", PNG, is_inline=True),
        ],
    )

    stored = list(
        Attachment.objects.filter(interaction=recorded.interaction).values_list(
            "filename", "content_type", "size", "sha256", "is_inline"
        )
    )
    assert stored == [
        (
            "facture.pdf",
            "application/pdf",
            len(PDF),
            hashlib.sha256(PDF).hexdigest(),
            False,
        ),
        ("photo.png", "image/png", len(PNG), hashlib.sha256(PNG).hexdigest(), True),
    ]
    attachment = Attachment.objects.get(filename="facture.pdf")
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF


REJECTED = [
    pytest.param(
        AttachmentIn("virus.pdf", "application/pdf", b"MZ\x90\x00" + b"\x00" * 60),
        id="windows-executable-disguised-as-pdf",
    ),
    pytest.param(
        AttachmentIn("run.pdf", "application/pdf", b"\x7fELF\x02\x01\x01"),
        id="elf-disguised-as-pdf",
    ),
    pytest.param(
        AttachmentIn("facture.pdf.exe", "application/pdf", PDF),
        id="executable-file-name",
    ),
    pytest.param(
        AttachmentIn("script.txt", "text/plain", b"#!/bin/sh\nrm -rf /"),
        id="shell-script",
    ),
    pytest.param(
        AttachmentIn("photo.png", "image/png", b"\xff\xd8\xff\xe0JFIF"),
        id="jpeg-bytes-declared-png",
    ),
    pytest.param(
        AttachmentIn("doc.pdf", "application/pdf", b"<html>not a pdf</html>"),
        id="wrong-magic",
    ),
    pytest.param(
        AttachmentIn("setup.exe", "application/x-msdownload", b"MZ"), id="bad-type"
    ),
    pytest.param(
        AttachmentIn("page.html", "text/html", b"<script></script>"), id="html-type"
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("attachment", REJECTED)
def test_bad_attachments_are_rejected_and_nothing_is_stored(
    customer: Customer, attachment: AttachmentIn
) -> None:
    with pytest.raises(AttachmentRejectedError) as caught:
        interaction_record(
            actor=None,
            customer=customer,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            body_text="Pièce jointe",
            attachments=[AttachmentIn("ok.pdf", "application/pdf", PDF), attachment],
        )

    assert caught.value.code == ErrorCode.ATTACHMENT_REJECTED
    assert caught.value.status == 422
    assert caught.value.fields == {"attachments": [attachment.filename]}
    assert not Interaction.objects.exists()
    assert not Attachment.objects.exists()
    assert not Path(settings.MEDIA_ROOT).exists()


@pytest.mark.django_db
def test_a_too_large_attachment_is_rejected(
    customer: Customer, settings: object
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024  # type: ignore[attr-defined]
    exactly = AttachmentIn("a.txt", "text/plain", b"a" * 1024)
    too_large = AttachmentIn("b.txt", "text/plain", b"a" * 1025)

    assert check_attachment(exactly) == hashlib.sha256(b"a" * 1024).hexdigest()
    with pytest.raises(AttachmentRejectedError) as caught:
        interaction_record(
            actor=None,
            customer=customer,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            body_text="x",
            attachments=[too_large],
        )
    assert caught.value.fields == {"attachments": ["b.txt"]}
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_replayed_message_does_not_store_its_attachments_again(
    customer: Customer,
) -> None:
    for _ in range(2):
        interaction_record(
            actor=None,
            customer=customer,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            body_text="Facture",
            external_id="<msg-1@exemple.fr>",
            attachments=[AttachmentIn("facture.pdf", "application/pdf", PDF)],
        )

    assert Attachment.objects.count() == 1
