"""What a delivery failure report says: an RFC 3464 delivery status notification
(``message/delivery-status``), or the plain text some mail servers write instead."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.message import Message
from typing import TYPE_CHECKING

from amiable.inbound.mail_headers import header_value, message_ids_in

if TYPE_CHECKING:
    from amiable.inbound.parsing import ParsedEmail


@dataclass(frozen=True)
class DeliveryReport:
    """What a bounce (RFC 3464 DSN, or a plain-text one) says."""

    original_message_ids: list[str]
    recipient: str
    action: str
    status: str
    diagnostic: str


# RFC 3464 actions, and what real MTAs write instead ("failure", "error", ...).
_ACTIONS = {
    "failed": "failed",
    "failure": "failed",
    "fail": "failed",
    "error": "failed",
    "bounced": "failed",
    "delayed": "delayed",
    "delay": "delayed",
    "delivered": "delivered",
    "relayed": "relayed",
    "expanded": "expanded",
}


def delivery_report(message: Message) -> DeliveryReport | None:
    """The RFC 3464 report of a multipart/report message, or of a message that
    carries a delivery-status part in another multipart (older MTAs)."""
    if message.get_content_type() != "multipart/report" and not any(
        part.get_content_type() == "message/delivery-status" for part in message.walk()
    ):
        return None
    recipient = action = status = diagnostic = ""
    original: list[str] = []
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            blocks = part.get_payload()
            for block in blocks if isinstance(blocks, list) else []:
                recipient = (
                    recipient
                    or header_value(block, "final-recipient")
                    .split(";")[-1]
                    .strip()
                    .lower()
                )
                action = action or header_value(block, "action").lower()
                status = status or header_value(block, "status")
                diagnostic = diagnostic or header_value(block, "diagnostic-code")
        elif kind in {"message/rfc822", "text/rfc822-headers"}:
            inner = part.get_payload()
            if isinstance(inner, list) and inner:
                original += message_ids_in(header_value(inner[0], "message-id"))
            elif isinstance(inner, str):
                match = re.search(r"^Message-ID:\s*(<[^>]+>)", inner, re.I | re.M)
                if match:
                    original += message_ids_in(match.group(1))
    if not action and not original:
        return None
    return DeliveryReport(
        original_message_ids=original,
        recipient=recipient,
        action=_ACTIONS.get(action.split(" ", 1)[0].strip("(;:,."), action or "failed"),
        status=status,
        diagnostic=diagnostic.split(";", 1)[-1].strip() or status,
    )


def _plain_bounce_report(text: str, failed: str) -> DeliveryReport:
    """A bounce without a machine-readable report (old MTAs): ids from its text."""
    ids = re.findall(r"^\s*Message-ID:\s*<([^<>\s]+)>", text, re.IGNORECASE | re.M)
    diagnostic = ""
    for line in text.splitlines():
        if re.search(r"\b[45]\d\d\b|\b[45]\.\d\.\d\b", line):
            diagnostic = line.strip()
            break
    return DeliveryReport(
        original_message_ids=ids,
        recipient=failed,
        action="failed",
        status="",
        diagnostic=diagnostic[:500],
    )


def bounce_report_from_text(parsed: ParsedEmail) -> DeliveryReport:
    """For bounces without a report part (classification decided it is one)."""
    failed = parsed.headers.get("x-failed-recipients", "").split(",")[0].strip()
    return _plain_bounce_report(parsed.text, failed.lower())
