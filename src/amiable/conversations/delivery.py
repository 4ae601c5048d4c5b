"""Delivering outbound interactions to the customer: email (multipart, threaded) and
SMS (through the configured provider); failures and bounces come back onto the case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from amiable.accounts.models import User
from amiable.conversations.models import (
    HAS_MESSAGE_ID,
    OUTBOX_CHANNELS,
    THIRD_PARTY_KINDS,
    Channel,
    Direction,
    Interaction,
    InteractionKind,
)
from amiable.conversations.outbox import outbox_enqueue
from amiable.conversations.sanitising import sanitise_html
from amiable.conversations.services import interaction_record_activity
from amiable.conversations.sms import SMS_MAX_CHARS, sms_backend
from amiable.core.clock import now
from amiable.customers.models import Identity, IdentityKind
from amiable.notifications.services import notification_send

MESSAGE_ID_DOMAIN = "amiable.localhost"
THREAD_DEPTH = 20
# The Message-ID of a forward to a third party ends ``.fwd@<domain>``: an inbound
# email is looked up among forwards only when it answers such an id.
FORWARD_IDSTRING = "fwd"
FORWARD_ID_MARK = f".{FORWARD_IDSTRING}@"
# RFC 3834 and Microsoft's header: our automatic messages must not be answered by
# other robots (out-of-office loops).
AUTO_HEADERS = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "All"}


def message_id_domain() -> str:
    """The domain of our Message-IDs: the sender's, so replies are recognisable."""
    _local, _at, domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")
    return domain.strip("> ") or MESSAGE_ID_DOMAIN


def _bracketed(message_id: str) -> str:
    message_id = message_id.strip()
    return message_id if message_id.startswith("<") else f"<{message_id}>"


def _thread_ids(interaction: Interaction) -> list[str]:
    """Message-IDs of earlier emails on the same case, oldest first."""
    if interaction.case_id is None:
        return []
    earlier = (
        Interaction.objects.filter(case_id=interaction.case_id, channel=Channel.EMAIL)
        .exclude(pk=interaction.pk)
        .filter(occurred_at__lte=interaction.occurred_at)
        .order_by("occurred_at", "id")
        .values_list("message_id", "metadata", "external_id", "direction")
    )
    ids: list[str] = []
    for column, metadata, external_id, direction in earlier:
        if (metadata or {}).get("kind") in THIRD_PARTY_KINDS:
            continue  # a forward and its answer are another thread
        message_id = (
            column
            or (metadata or {}).get("message_id")
            or (external_id if direction == Direction.INBOUND else "")
        )
        if message_id and not str(message_id).startswith("sha256:"):
            ids.append(_bracketed(str(message_id)))
    return ids


def _primary(interaction: Interaction, kind: str) -> str | None:
    return (
        Identity.objects.filter(customer=interaction.customer, kind=kind)
        .order_by("-is_primary", "id")
        .values_list("normalized", flat=True)
        .first()
    )


def _subject(interaction: Interaction) -> str:
    subject = " ".join(interaction.subject.split())  # one header line, always
    case = interaction.case
    if case is not None and case.reference not in subject:
        subject = f"[{case.reference}] {subject or case.subject}"
    return subject


@dataclass(frozen=True)
class EmailDraft:
    """What an outbound email says, before it is an Interaction (for a preview)."""

    body_text: str
    body_html: str = ""
    language: str = ""
    author: User | None = None
    reference: str = ""
    subject: str = ""
    mailbox_signature: str = ""


def email_bodies(draft: EmailDraft) -> tuple[str, str]:
    """The text and HTML parts, from the templates, in the draft's language."""
    language = draft.language or settings.LANGUAGE_CODE
    with translation.override(language):
        signature = _("The customer service team")
        if draft.author is not None and draft.author.get_full_name():
            signature = _("%(name)s, customer service") % {
                "name": draft.author.get_full_name()
            }
        context: dict[str, Any] = {
            "body": draft.body_text,
            "body_html": mark_safe(  # noqa: S308 (sanitised, or escaped by linebreaks)
                sanitise_html(draft.body_html)
                if draft.body_html
                else linebreaks(draft.body_text, autoescape=True)
            ),
            "signature": signature,
            # The signature of the mailbox the reply goes out from (cases records
            # it on the interaction when it knows the mailbox).
            "mailbox_signature": draft.mailbox_signature,
            "reference": draft.reference,
            "subject": draft.subject,
            "language": language,
        }
        text = render_to_string("conversations/email/message.txt", context)
        html = render_to_string("conversations/email/message.html", context)
    return text.strip() + "\n", html


def _bodies(interaction: Interaction, subject: str) -> tuple[str, str]:
    is_forward = (interaction.metadata or {}).get("kind") == InteractionKind.FORWARD
    return email_bodies(
        EmailDraft(
            body_text=interaction.body_text,
            body_html=interaction.body_html,
            # A forward speaks the agent's language, not the customer's.
            language=interaction.language
            if is_forward
            else interaction.customer.preferred_language,
            author=interaction.author,
            reference=interaction.case.reference if interaction.case else "",
            subject=subject,
            mailbox_signature=str((interaction.metadata or {}).get("signature") or ""),
        )
    )


def _sender(metadata: dict[str, Any]) -> str:
    """The From header: the recorded mailbox (with its name), else the default."""
    address = str(metadata.get("from_address") or "")
    if not address:
        return str(settings.DEFAULT_FROM_EMAIL)
    name = " ".join(str(metadata.get("from_name") or "").split())
    if not name:
        return address
    # Unicode kept (Django encodes the header when it sends); specials quoted.
    return str(Address(display_name=name, addr_spec=address))


def _deliver_email(interaction: Interaction, metadata: dict[str, Any]) -> str:
    """To the customer, threaded with the case's emails; a forward goes to its
    third parties instead, as a thread of its own."""
    is_forward = metadata.get("kind") == InteractionKind.FORWARD
    if is_forward:
        recipients = [str(address) for address in metadata.get("to") or []]
    else:
        address = _primary(interaction, IdentityKind.EMAIL)
        recipients = [address] if address is not None else []
    if not recipients:
        metadata.update(delivery="no_address")
        Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
        return "no_address"
    message_id = (
        metadata.get("message_id")
        or (_bracketed(interaction.message_id) if interaction.message_id else "")
        or make_msgid(
            idstring=FORWARD_IDSTRING if is_forward else None,
            domain=message_id_domain(),
        )
    )
    thread = [] if is_forward else _thread_ids(interaction)
    headers = {"Message-ID": message_id}
    if thread:
        headers["In-Reply-To"] = thread[-1]
        headers["References"] = " ".join(thread[-THREAD_DEPTH:])
    if interaction.case is not None:
        headers["X-Amiable-Case"] = interaction.case.reference
    if metadata.get("auto_submitted"):
        headers.update(AUTO_HEADERS)
    subject = _subject(interaction)
    text, html = _bodies(interaction, subject)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=_sender(metadata),
        to=recipients,
        cc=[str(copy) for copy in metadata.get("cc") or []],
        bcc=[str(copy) for copy in metadata.get("bcc") or []],
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    for attachment in interaction.attachments.all():
        with attachment.file.open("rb") as stored:
            message.attach(attachment.filename, stored.read(), attachment.content_type)
    message.send(fail_silently=False)
    metadata.update(delivery="sent", message_id=message_id, sent_at=now().isoformat())
    Interaction.objects.filter(pk=interaction.pk).update(
        metadata=metadata, message_id=message_id.strip("<>")
    )
    return "sent"


def _deliver_sms(interaction: Interaction, metadata: dict[str, Any]) -> str:
    phone = _primary(interaction, IdentityKind.PHONE)
    if phone is None:
        metadata.update(delivery="no_address")
        Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
        return "no_address"
    sent = sms_backend().send(
        to=phone,
        body=interaction.body_text[:SMS_MAX_CHARS],
        sender=settings.AMIABLE_SMS_SENDER,
    )
    metadata.update(
        delivery="sent", provider_id=sent.provider_id, sent_at=now().isoformat()
    )
    Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
    return "sent"


@transaction.atomic
def interaction_deliver(*, interaction_id: int) -> str:
    """Send one outbound email or SMS; idempotent (a delivered message is not sent
    again).

    A reply on a channel we have no API for goes to the outbox (``outbox.py``).

    Returns the delivery state: "sent", "already_sent", "no_address", "queued",
    "already_queued" or "skipped".
    Raises whatever the mail backend or SMS provider raises, so the task is retried.
    """
    interaction = (
        # of=("self",): PostgreSQL cannot lock the nullable side of the case join.
        Interaction.objects.select_for_update(of=("self",))
        .select_related("customer", "case", "author")
        .get(pk=interaction_id)
    )
    metadata = dict(interaction.metadata or {})
    if metadata.get("delivery") == "sent":
        return "already_sent"
    if interaction.direction != Direction.OUTBOUND:
        return "skipped"
    if interaction.channel == Channel.EMAIL:
        return _deliver_email(interaction, metadata)
    if interaction.channel == Channel.SMS:
        return _deliver_sms(interaction, metadata)
    if interaction.channel in OUTBOX_CHANNELS:
        return outbox_enqueue(interaction=interaction, metadata=metadata)
    return "skipped"


def _report_on_case(interaction: Interaction, *, text: str, kind: str) -> None:
    """An activity line on the case and a notification to its assignee."""
    interaction_record_activity(
        customer=interaction.customer,
        case=interaction.case,
        text=text,
        metadata={"activity": kind, "interaction_id": interaction.pk},
    )
    case = interaction.case
    if case is not None and case.assignee is not None:
        notification_send(
            recipients=[case.assignee],
            kind=kind,
            title=f"{case.reference} — {text}"[:200],
            url=reverse("cases:detail", args=[case.pk]),
            dedupe_key=f"{kind}:{interaction.pk}",
        )


@transaction.atomic
def interaction_record_delivery_failure(
    *,
    interaction_id: int,
    error: str,
    attempt: int,
    max_attempts: int,
    retry_at: dt.datetime | None,
) -> None:
    """Write a failed delivery attempt onto the interaction's metadata.

    ``delivery`` becomes "retrying" (with ``delivery_retry_at``) or, after the last
    attempt, "failed"; the case page shows ``delivery_error``, and a final failure
    adds an activity line to the case and notifies its assignee. A message already
    sent is left alone.
    """
    interaction = (
        Interaction.objects.select_for_update(of=("self",))
        .select_related("customer", "case__assignee")
        .filter(pk=interaction_id)
        .first()
    )
    if interaction is None:
        return
    metadata = dict(interaction.metadata or {})
    if metadata.get("delivery") == "sent":
        return
    metadata.update(
        delivery="retrying" if retry_at is not None else "failed",
        delivery_error=error,
        delivery_attempts=attempt,
        delivery_max_attempts=max_attempts,
        delivery_retry_at=retry_at.isoformat() if retry_at is not None else None,
        delivery_failed_at=now().isoformat(),
    )
    Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
    if retry_at is None:
        _report_on_case(
            interaction,
            text=_("Sending failed for good after %(attempts)d attempts: %(error)s")
            % {"attempts": attempt, "error": error},
            kind="delivery_failed",
        )


def sent_email_locked(message_ids: list[str], *related: str) -> Interaction | None:
    """The latest e-mail we sent whose Message-ID is among ``message_ids`` (with or
    without angle brackets), locked for update with ``related`` joined; None when
    there is none. What a bounce or a complaint about our mail is recorded on."""
    ids = [value.strip().strip("<>") for value in message_ids if value.strip("<> ")]
    if not ids:
        return None
    return (
        Interaction.objects.select_for_update(of=("self",))
        .select_related(*related)
        .filter(
            HAS_MESSAGE_ID,
            message_id__in=ids,
            direction=Direction.OUTBOUND,
            channel=Channel.EMAIL,
        )
        .order_by("-occurred_at", "-id")
        .first()
    )


@transaction.atomic
def interaction_mark_bounced(
    *, message_ids: list[str], diagnostic: str, recipient: str = ""
) -> Interaction | None:
    """A delivery status notification said one of our emails could not be
    delivered: mark it "bounced" and report it on its case. Returns the bounced
    interaction, or None when no sent email has one of ``message_ids``. Idempotent:
    a second report of the same bounce changes nothing."""
    interaction = sent_email_locked(message_ids, "customer", "case__assignee")
    if interaction is None:
        return None
    metadata = dict(interaction.metadata or {})
    if metadata.get("delivery") == "bounced":
        return interaction
    metadata.update(
        delivery="bounced",
        delivery_error=diagnostic[:500],
        bounced_recipient=recipient[:254],
        bounced_at=now().isoformat(),
    )
    Interaction.objects.filter(pk=interaction.pk).update(metadata=metadata)
    interaction.metadata = metadata
    _report_on_case(
        interaction,
        text=_("The email could not be delivered to %(recipient)s: %(error)s")
        % {"recipient": recipient or _("the customer"), "error": diagnostic[:300]},
        kind="delivery_bounced",
    )
    return interaction
