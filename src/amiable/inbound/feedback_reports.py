"""Complaints about mail we sent: abuse feedback-loop reports (ARF, RFC 5965: a
``multipart/report; report-type=feedback-report``) and the complaint notices cloud
mail services post as mail (Amazon SES through SNS: a JSON body whose
``notificationType`` is "Complaint").

A complaint is not a bounce: the email was delivered, and its reader marked it as
spam. It says who complained and, when the report carries them, the Message-IDs of
the email complained about.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses

from amiable.inbound.charsets import decode_text

_MESSAGE_ID = re.compile(r"<([^<>\s]{1,250})>")
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
MAX_RECIPIENTS = 20


@dataclass(frozen=True)
class FeedbackReport:
    feedback_type: str  # "abuse", "fraud", "not-spam", "complaint", ...
    recipients: list[str]  # who complained (lower-cased addresses)
    original_message_ids: list[str]  # without angle brackets
    source: str  # "arf" or "ses"


def _field_lines(text: str) -> dict[str, list[str]]:
    """``Name: value`` lines of a report part (folded lines unfolded)."""
    fields: dict[str, list[str]] = {}
    for line in re.split(r"\r?\n(?![ \t])", text):
        name, colon, value = line.partition(":")
        if colon and name.strip() and " " not in name.strip():
            fields.setdefault(name.strip().lower(), []).append(" ".join(value.split()))
    return fields


def _part_text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):  # parsed as a message: its headers are the fields
        return "\n".join(
            f"{name}: {value}"
            for block in payload
            if isinstance(block, Message)
            for name, value in block.items()
        )
    raw = part.get_payload(decode=True)
    if isinstance(raw, bytes):
        return decode_text(raw, part.get_content_charset())[0]
    return str(payload)


def _original_headers(part: Message) -> Message | None:
    """The headers of the message complained about (message/rfc822 or
    text/rfc822-headers part)."""
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        return payload[0]
    text = _part_text(part)
    from email.parser import HeaderParser

    return HeaderParser().parsestr(text, headersonly=True)


def _addresses(values: list[str]) -> list[str]:
    found = [address.strip().lower() for _name, address in getaddresses(values)]
    return [address for address in found if _ADDRESS.fullmatch(address)]


def _arf(message: Message) -> FeedbackReport | None:
    is_feedback = (
        message.get_content_type() == "multipart/report"
        and str(message.get_param("report-type", "")).lower() == "feedback-report"
    )
    parts = list(message.walk())
    reports = [p for p in parts if p.get_content_type() == "message/feedback-report"]
    if not is_feedback and not reports:
        return None
    fields: dict[str, list[str]] = {}
    for part in reports:
        for name, values in _field_lines(_part_text(part)).items():
            fields.setdefault(name, []).extend(values)
    recipients = _addresses(
        [*fields.get("removal-recipient", []), *fields.get("original-rcpt-to", [])]
    )
    ids: list[str] = []
    for part in parts:
        if part.get_content_type() not in {"message/rfc822", "text/rfc822-headers"}:
            continue
        original = _original_headers(part)
        if original is None:
            continue
        ids += _MESSAGE_ID.findall(str(original.get("message-id", "")))
        if not recipients:
            recipients = _addresses(
                [str(value) for value in original.get_all("to", [])]
            )
    feedback_type = (fields.get("feedback-type") or ["abuse"])[0].lower()
    return FeedbackReport(
        feedback_type=feedback_type[:40],
        recipients=recipients[:MAX_RECIPIENTS],
        original_message_ids=ids[:MAX_RECIPIENTS],
        source="arf",
    )


def _ses(text: str) -> FeedbackReport | None:
    """An Amazon SES complaint notification (the JSON an SNS topic mails)."""
    if '"notificationType"' not in text or "Complaint" not in text:
        return None
    start, end = text.find("{"), text.rfind("}")
    try:
        data = json.loads(text[start : end + 1]) if 0 <= start < end else None
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("Message"), str):
        try:  # the raw SNS envelope: the notification is a string inside
            data = json.loads(data["Message"])
        except ValueError:
            data = None
    if not isinstance(data, dict) or data.get("notificationType") != "Complaint":
        return None
    complaint = data.get("complaint") or {}
    mail = data.get("mail") or {}
    recipients = [
        str(item.get("emailAddress", "")).lower()
        for item in complaint.get("complainedRecipients") or []
        if isinstance(item, dict)
    ]
    common = mail.get("commonHeaders") or {}
    ids = _MESSAGE_ID.findall(str(common.get("messageId", "")))
    return FeedbackReport(
        feedback_type=str(complaint.get("complaintFeedbackType") or "abuse")[:40],
        recipients=[item for item in recipients if _ADDRESS.fullmatch(item)][
            :MAX_RECIPIENTS
        ],
        original_message_ids=ids,
        source="ses",
    )


def feedback_report(message: Message, text: str) -> FeedbackReport | None:
    """The complaint ``message`` (with ``text``, its readable body) reports, if it
    is one."""
    return _arf(message) or _ses(text[:100_000])
