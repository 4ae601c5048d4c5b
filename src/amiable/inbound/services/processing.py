"""What one parsed email becomes: a new case, a message on a case, an automatic reply
on the timeline, a bounce reported on the case it concerns, or nothing (our own)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from amiable.cases.models import Case
from amiable.cases.services import (
    case_open,
    case_record_inbound,
    case_record_third_party,
    forward_answered,
)
from amiable.conversations.attachments import AttachmentIn, check_attachment
from amiable.conversations.delivery import interaction_mark_bounced
from amiable.conversations.models import Channel, Direction, Interaction
from amiable.conversations.services import interaction_record
from amiable.core.config_cache import ConfigCache
from amiable.core.errors import ApplicationError
from amiable.customers.models import Customer, Identity, IdentityKind
from amiable.customers.services import customer_find_or_create_by_identity
from amiable.inbound.attachment_types import attachment_real_type
from amiable.inbound.classify import EmailKind, email_classify
from amiable.inbound.html_quotes import reply_source
from amiable.inbound.mail_reports import bounce_report_from_text
from amiable.inbound.models import InboundEmail, InboundStatus, Mailbox
from amiable.inbound.parsing import EmailUnparseableError, ParsedEmail, email_parse
from amiable.inbound.quoting import is_forwarded, reply_extract
from amiable.inbound.reply_lines import lines_split
from amiable.inbound.robots import original_sender, ses_bounce_report
from amiable.inbound.services.acknowledgement import acknowledgement_send
from amiable.inbound.services.complaints import complaint_record
from amiable.inbound.threading import thread_find

MAX_FULL_TEXT = 100_000
DATE_SKEW = dt.timedelta(days=30)


@dataclass(frozen=True)
class Base:
    sender: str
    subject: str


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str
    sender: str
    subject: str
    customer: Customer | None = None
    case: Case | None = None
    interaction: Interaction | None = None


def _own_addresses_read() -> frozenset[str]:
    addresses = set(Mailbox.objects.values_list("address", flat=True))
    addresses.add(settings.DEFAULT_FROM_EMAIL.rpartition("<")[2].strip("> "))
    return frozenset(address.lower() for address in addresses)


OWN_ADDRESSES = ConfigCache(
    "own-addresses", _own_addresses_read, models=(Mailbox,), ttl=60.0
)


def own_addresses() -> frozenset[str]:
    """Our support addresses: a message from one of them is a loop. Read at most
    once a minute per process (mailboxes rarely change; a change in this process
    is seen at once)."""
    return OWN_ADDRESSES.get()


def _occurred_at(parsed: ParsedEmail, received_at: dt.datetime) -> dt.datetime:
    """The Date header when plausible; clocks and spammers lie, so else receipt."""
    date = parsed.date
    if date is None or not (received_at - DATE_SKEW <= date <= received_at):
        return received_at
    return date


def _attachments(
    parsed: ParsedEmail, retyped: list[dict[str, str]]
) -> tuple[list[AttachmentIn], list[dict[str, str]]]:
    """The acceptable attachments, and the refused ones with the reason; each is
    judged under the type its bytes say (``retyped`` lists the ones whose declared
    type was wrong)."""
    kept: list[AttachmentIn] = []
    refused: list[dict[str, str]] = []
    for item in parsed.attachments:
        real = attachment_real_type(item.content_type, item.content, item.filename)
        if real.is_retyped:
            retyped.append(
                {
                    "filename": item.filename,
                    "declared": real.declared,
                    "real": real.content_type,
                }
            )
        candidate = AttachmentIn(
            filename=item.filename,
            content_type=real.content_type,
            content=item.content,
            is_inline=item.is_inline,
        )
        try:
            check_attachment(candidate)
        except ApplicationError as exc:
            refused.append({"filename": item.filename, "reason": exc.message})
            continue
        kept.append(candidate)
    return kept, refused


def _body(parsed: ParsedEmail) -> tuple[str, str, dict[str, Any]]:
    """(text, html, metadata): the customer's lines of the message. When quoted
    history, reply headers or a signature were folded, the full text and one class
    letter per line (``reply_lines``) are kept in the metadata: the case page shows
    the folded parts on demand, nothing is deleted."""
    forwarded = is_forwarded(subject=parsed.subject, text=parsed.text)
    facts: dict[str, Any] = {"forwarded": forwarded}
    text, html = parsed.text, parsed.html
    source = reply_source(text=parsed.text, html=parsed.html)
    reply = reply_extract(source, subject=parsed.subject)
    # A forward with its HTML is shown whole, as before (only a signature folds).
    if reply.is_trimmed and not (forwarded and html.strip()):
        full_text = source[:MAX_FULL_TEXT]
        facts.update(
            quoted_removed=reply.is_quote_removed,
            signature=reply.signature[:2000],
            full_text=full_text,
            reply_lines=reply.line_kinds[: len(lines_split(full_text))],
        )
        if len(source) > MAX_FULL_TEXT:
            facts["full_text_cut"] = True
        text, html = reply.text, ""
    if parsed.calendar:
        text = f"{text}\n\n{parsed.calendar}".strip()
        facts["calendar"] = parsed.calendar
    if not text.strip() and not html.strip():
        facts["empty_body"] = True
        text = "∅"
    return text, html, facts


def _email_facts(
    parsed: ParsedEmail, email: InboundEmail, mailbox: Mailbox | None
) -> dict[str, Any]:
    return {
        "email": {
            "from": parsed.from_address,
            "from_name": parsed.from_name,
            "to": parsed.to[:20],
            "cc": parsed.cc[:20],
            "in_reply_to": parsed.in_reply_to[:5],
            "references": parsed.references[-20:],
            "date": parsed.date.isoformat() if parsed.date else None,
            "source": email.source,
            "mailbox": mailbox.address if mailbox else "",
        },
        "charset_notes": parsed.notes[:10],
    }


def _existing_customer(address: str) -> Customer | None:
    identity = (
        Identity.objects.select_related("customer")
        .filter(kind=IdentityKind.EMAIL, normalized=address.lower())
        .first()
    )
    if identity is None:
        return None
    customer = identity.customer
    while customer.merged_into_id is not None:
        customer = Customer.objects.get(pk=customer.merged_into_id)
    return customer


def _external_id(email: InboundEmail, parsed: ParsedEmail) -> str:
    """The Message-ID when the message is stored under it, else its ledger key (a
    reused or over-long Message-ID, none at all): unique either way."""
    message_id = parsed.message_id
    if message_id and email.dedupe_key == f"mid:{message_id}":
        return message_id[:255]
    return email.dedupe_key[:255]


def email_process(
    *, email: InboundEmail, raw: bytes, mailbox: Mailbox | None
) -> Outcome:
    """Turn the claimed ``email`` into cases and interactions (inside the caller's
    transaction). Raises EmailUnparseableError or ApplicationError to quarantine."""
    parsed = original_sender(email_parse(raw), own_addresses=own_addresses())
    sender, subject = parsed.from_address, parsed.subject
    classification = email_classify(parsed, own_addresses=own_addresses())
    if not sender and classification.kind not in {
        EmailKind.BOUNCE,
        EmailKind.AUTO_REPLY,
        EmailKind.COMPLAINT,
    }:  # robots may write from the null address ("<>"); people cannot
        raise EmailUnparseableError(
            "no valid sender address in From", "no_valid_sender"
        )
    base = Base(sender=sender, subject=subject)
    if classification.kind == EmailKind.LOOP:
        return Outcome(
            status=InboundStatus.LOOP,
            reason=classification.reason,
            sender=base.sender,
            subject=base.subject,
        )
    if classification.kind == EmailKind.COMPLAINT:  # delivered, not bounced
        complaint = complaint_record(parsed)
        return Outcome(
            status=InboundStatus.COMPLAINT,
            reason=classification.reason,
            customer=complaint.customer,
            interaction=complaint.interaction,
            sender=base.sender,
            subject=base.subject,
        )
    if classification.kind == EmailKind.BOUNCE:
        report = (
            parsed.report
            or ses_bounce_report(parsed)
            or bounce_report_from_text(parsed)
        )
        bounced = interaction_mark_bounced(
            message_ids=[
                *report.original_message_ids,
                *parsed.in_reply_to,
                *parsed.references,
            ],
            diagnostic=report.diagnostic or classification.reason,
            recipient=report.recipient,
        )
        found = _("matched a sent email") if bounced else _("no sent email matched")
        return Outcome(
            status=InboundStatus.BOUNCE,
            reason=f"{classification.reason}: {report.diagnostic} ({found})",
            customer=bounced.customer if bounced else None,
            case=bounced.case if bounced else None,
            interaction=bounced,
            sender=base.sender,
            subject=base.subject,
        )
    text, html, facts = _body(parsed)
    retyped: list[dict[str, str]] = []
    attachments, refused = _attachments(parsed, retyped)
    metadata = _email_facts(parsed, email, mailbox) | facts
    if refused:
        metadata["refused_attachments"] = refused
    if retyped:
        metadata["retyped_attachments"] = retyped
    if parsed.unreadable:
        metadata["unreadable_parts"] = [item.as_dict() for item in parsed.unreadable]
    occurred_at = _occurred_at(parsed, email.received_at)
    if classification.kind == EmailKind.AUTO_REPLY:
        return _auto_reply(
            parsed, email, classification.reason, text, metadata, occurred_at, base
        )
    forward = forward_answered(
        sender=sender, message_ids=[*parsed.in_reply_to, *parsed.references]
    )
    if forward is not None and forward.case is not None:
        # A carrier or warehouse answering our forward: theirs, on its case.
        interaction = case_record_third_party(
            forward=forward,
            sender=sender,
            sender_name=parsed.from_name,
            body_text=text,
            body_html=html,
            subject=subject,
            external_id=_external_id(email, parsed),
            message_id=parsed.message_id,
            occurred_at=occurred_at,
            attachments=attachments,
            metadata=metadata | {"threaded_by": "forward"},
        )
        return Outcome(
            status=InboundStatus.THREADED,
            reason="",
            customer=forward.case.customer,
            case=forward.case,
            interaction=interaction,
            sender=base.sender,
            subject=base.subject,
        )
    found_customer = customer_find_or_create_by_identity(
        actor=None,
        kind=IdentityKind.EMAIL,
        value=sender,
        name=parsed.from_name,
        preferred_language=parsed.language,
    )
    customer = found_customer.customer
    match = thread_find(
        customer=customer,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        subject=subject,
    )
    metadata.update(threaded_by=match.threaded_by, thread_note=match.note)
    external_id = _external_id(email, parsed)
    case = match.case
    if case is not None:
        status = InboundStatus.THREADED
        interaction = case_record_inbound(
            customer=customer,
            case=case,
            channel=Channel.EMAIL,
            body_text=text,
            body_html=html,
            subject=subject,
            external_id=external_id,
            occurred_at=occurred_at,
            attachments=attachments,
            message_id=parsed.message_id,
            metadata=metadata,
            is_locked=True,  # thread_find locked it
        )
    else:
        status = InboundStatus.OPENED
        with translation.override(customer.preferred_language):
            case = case_open(
                actor=None,
                customer=customer,
                subject=subject or _("(no subject)"),
                channel=Channel.EMAIL,
                team=mailbox.team if mailbox else None,
                occurred_at=email.received_at,
            )
        # The case was opened by this message: nothing to reopen or restamp.
        interaction = interaction_record(
            actor=None,
            customer=customer,
            case=case,
            channel=Channel.EMAIL,
            direction=Direction.INBOUND,
            body_text=text,
            body_html=html,
            subject=subject,
            external_id=external_id,
            occurred_at=occurred_at,
            attachments=attachments,
            message_id=parsed.message_id,
            metadata=metadata,
        ).interaction
    if status == InboundStatus.OPENED:
        acknowledgement_send(
            case=case, customer=customer, address=sender, mailbox=mailbox
        )
    return Outcome(
        status=status,
        reason=match.note,
        customer=customer,
        case=case,
        interaction=interaction,
        sender=base.sender,
        subject=base.subject,
    )


def _auto_reply(
    parsed: ParsedEmail,
    email: InboundEmail,
    reason: str,
    text: str,
    metadata: dict[str, Any],
    occurred_at: dt.datetime,
    base: Base,
) -> Outcome:
    """An automatic reply goes on the timeline of a customer we know (on the case
    it answers, which it does not reopen); it never creates a customer or a case
    and is never answered."""
    customer = _existing_customer(parsed.from_address)
    if customer is None:
        return Outcome(
            status=InboundStatus.AUTO_REPLY,
            reason=reason,
            sender=base.sender,
            subject=base.subject,
        )
    match = thread_find(
        customer=customer,
        in_reply_to=parsed.in_reply_to,
        references=parsed.references,
        subject=parsed.subject,
    )
    recorded = interaction_record(
        actor=None,
        customer=customer,
        case=match.case,
        channel=Channel.EMAIL,
        direction=Direction.INBOUND,
        subject=parsed.subject,
        body_text=text,
        external_id=_external_id(email, parsed),
        message_id=parsed.message_id,
        occurred_at=occurred_at,
        metadata=metadata | {"auto_reply": reason},
    )
    return Outcome(
        status=InboundStatus.AUTO_REPLY,
        reason=reason,
        customer=customer,
        case=match.case,
        interaction=recorded.interaction,
        sender=base.sender,
        subject=base.subject,
    )
