"""Telling a person's email from a robot's: automatic replies (RFC 3834), bulk and
list mail, delivery failure reports (RFC 3464), spam complaints (feedback loops, RFC
5965) and mail we sent ourselves. Sender addresses and list mail: ``robots``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from amiable.inbound.parsing import ParsedEmail
from amiable.inbound.robots import (
    automatic_sender,
    is_complaint_notice,
    is_list_mail,
    list_command_reply,
    list_mail_reason,
    ses_bounce_report,
)


class EmailKind(StrEnum):
    PERSON = "person"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    LOOP = "loop"
    COMPLAINT = "complaint"  # a reader marked our email as spam: not a bounce


@dataclass(frozen=True)
class Classification:
    kind: EmailKind
    reason: str


_AUTO_SUBJECT = re.compile(
    r"^\s*(?:"
    r"auto(?:matic)?[ -]?(?:reply|response|antwort)"
    r"|r[ée]ponse automatique"
    r"|out of (?:the )?office"
    r"|absen(?:ce|te?) du bureau"
    r"|absente? jusqu"
    r"|message d'absence"
    r"|je suis (?:actuellement )?absente?\b"
    r"|vacation reply"
    r"|auto:"
    r")",
    re.IGNORECASE,
)
# Mail servers' own addresses (after an SRS or BATV ``prvs=...=`` prefix) and names.
_DAEMON_LOCAL = re.compile(
    r"^(?:prvs=[^=]+=)?(?:mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master|mdaemon"
    r"|mail[-_.]?delivery(?:[-_.]?(?:system|subsystem))?|ndr|bounces?)$",
    re.IGNORECASE,
)
_DAEMON_NAME = re.compile(
    r"\b(?:mailer[- _]?daemon|mail delivery (?:system|subsystem|service)"
    r"|post[ _]?master|mail[- ]zustell(?:system|dienst)"
    r"|(?:syst[èe]me|service) de (?:distribution|remise) du courrier)\b",
    re.IGNORECASE,
)
# Subjects of delivery failure reports. Several are also what a customer writes
# about a parcel ("Delivery failed"), so outside mail servers they only count with
# a second sign of a robot (see ``_robot_signs``).
_BOUNCE_SUBJECT = re.compile(
    r"(?:undeliver(?:ed|able)|non[- ]?deliver|not (?:been )?delivered"
    r"|could not be deliver|delivery (?:status notification|failure|failed|problem"
    r"|notification|warning|has failed)|failure delivery|failed mail|mail error"
    r"|mail (?:delivery )?(?:failed|failure|problem|system)|returned mail"
    r"|returning message|failure notice|delayed mail|message (?:\S+ )?delayed"
    r"|user unknown|non remis|[ée]chec de (?:la )?(?:remise|distribution)"
    r"|message non distribu|unzustellbar|nicht zustellbar"
    r"|(?:rapport|avis) de non[- ]?(?:remise|distribution)|notification d'[ée]tat de"
    r"|message non (?:remis|d[ée]livr)|[ée]chec (?:de|lors de) l'envoi"
    r"|zustellung (?:fehlgeschlagen|gescheitert)|nichtzustellbarkeit"
    r"|[üu]bermittlungsstatus|zustellstatus|fehlgeschlagene zustellung"
    r"|(?:e-?mail|message) to \S+ (?:was|has been) (?:blocked|rejected|bounced))",
    re.IGNORECASE,
)
# What delivery software writes in the body of a failure report. Only phrases about
# a message or an email: a parcel "could not be delivered" or "n'a pas pu être
# remis" too, and "550 euros" is no SMTP reply.
_BOUNCE_TEXT = re.compile(
    r"(?:\b[45]\.[0-7]\.\d{1,3}\b|\b55[0-4][ -][45]\.\d"
    r"|\b55[0-4] (?:requested|mailbox|user|message|sorry|no such|relay|rejected"
    r"|access denied|invalid)"
    r"|user unknown|unknown user|no such (?:user|mailbox|recipient)"
    r"|mailbox (?:unavailable|full|not found)|permanent(?:ly)? (?:fatal )?error"
    r"|could not be delivered to (?:the following|one or more|all|any) recipient"
    r"|(?:message|e-?mail)\b[^.\n]{0,60}(?:could not|couldn't|was not|wasn't)"
    r" (?:be )?delivered"
    r"|recipient address rejected|host unknown|delivery to the following recipient"
    r"|mail delivery software|(?:mail|message) returned to sender"
    r"|(?:message|e-?mail|courriel)\b[^.\n]{0,60}n'a pas pu [eê]tre"
    r" (?:d[ée]livr|remis|distribu|transmis)"
    r"|adresse (?:e-?mail|[ée]lectronique) (?:inconnue|invalide|introuvable)"
    r"|serveur de messagerie"
    r"|(?:nachricht|e-?mail)\b[^.\n]{0,60}konnte nicht (?:zugestellt|[üu]bermittelt)"
    r"|zustellung an (?:die )?(?:folgende|den folgenden) empf[äa]nger)",
    re.IGNORECASE,
)
_NO_REPLY = re.compile(
    r"^(?:no-?reply|ne-?pas-?repondre|do-?not-?reply|notifications?|mailer-daemon"
    r"|postmaster|bounces?)[+@.\-_]",
    re.IGNORECASE,
)


def _is_mail_server(parsed: ParsedEmail) -> bool:
    local = parsed.from_address.partition("@")[0]
    return bool(_DAEMON_LOCAL.match(local) or _DAEMON_NAME.search(parsed.from_name))


def _is_null_sender(parsed: ParsedEmail) -> bool:
    """Sent with the null reverse-path (``Return-Path: <>``, or the MAILER-DAEMON
    address some relays write for it): only automatic messages are (RFC 5321)."""
    path = parsed.headers.get("return-path", "").strip()
    if path.strip("<> ") == "":
        return "return-path" in parsed.headers
    return bool(_DAEMON_LOCAL.match(path.strip("<> ").partition("@")[0]))


def _robot_signs(parsed: ParsedEmail) -> bool:
    """Besides its subject, does the message show it comes from software?"""
    headers = parsed.headers
    return (
        _is_null_sender(parsed)
        or parsed.embedded_messages > 0
        or parsed.content_type == "multipart/report"
        or any(
            name in headers
            for name in ("auto-submitted", "x-autoreply", "x-autogenerated")
        )
        or headers.get("precedence", "").lower() in {"bulk", "junk", "auto_reply"}
        or bool(_BOUNCE_TEXT.search(parsed.text[:5000]))
        or bool(automatic_sender(parsed.from_address))
    )


def email_classify(
    parsed: ParsedEmail, *, own_addresses: frozenset[str]
) -> Classification:
    """Which kind of sender wrote ``parsed``; ``own_addresses`` are our mailboxes.

    Bounces come first: a failure report also carries auto-reply markers, and it
    must reach the sent email it reports on.
    """
    headers = parsed.headers
    if parsed.from_address in own_addresses or "amiable" in headers.get("x-loop", ""):
        return Classification(EmailKind.LOOP, "sent from one of our own addresses")
    if is_complaint_notice(parsed):
        feedback = parsed.feedback
        kind = f"{feedback.source}, {feedback.feedback_type}" if feedback else "notice"
        return Classification(EmailKind.COMPLAINT, f"spam complaint ({kind})")
    report = parsed.report
    if report is not None and report.action == "failed":
        return Classification(
            EmailKind.BOUNCE, f"delivery status notification ({report.action})"
        )
    if report is not None and report.action == "delayed":
        # A warning: the server is still trying. The email we sent is not bounced
        # (yet); a "failed" report follows if it gives up.
        return Classification(EmailKind.AUTO_REPLY, "delivery delayed, still retried")
    if report is not None:  # a "delivered" or "relayed" notification
        return Classification(EmailKind.AUTO_REPLY, "delivery notification")
    if ses_bounce_report(parsed) is not None:
        return Classification(EmailKind.BOUNCE, "cloud mail service bounce notice")
    if _is_mail_server(parsed):
        return Classification(EmailKind.BOUNCE, "bounce from a mail server")
    if "x-failed-recipients" in headers:
        return Classification(EmailKind.BOUNCE, "X-Failed-Recipients header")
    if _BOUNCE_SUBJECT.search(parsed.subject) and _robot_signs(parsed):
        return Classification(EmailKind.BOUNCE, "delivery failure report")
    if parsed.content_type == "multipart/report":
        return Classification(EmailKind.AUTO_REPLY, "report (receipt or notice)")
    auto_submitted = headers.get("auto-submitted", "").lower()
    if auto_submitted and auto_submitted != "no":
        return Classification(EmailKind.AUTO_REPLY, f"Auto-Submitted: {auto_submitted}")
    for name in ("x-autoreply", "x-autorespond", "x-autogenerated"):
        if name in headers:
            return Classification(EmailKind.AUTO_REPLY, f"{name} header")
    robot = automatic_sender(parsed.from_address) or list_command_reply(parsed)
    if robot:
        return Classification(EmailKind.AUTO_REPLY, robot)
    precedence = (headers.get("precedence") or headers.get("x-precedence", "")).lower()
    if precedence in {"bulk", "junk", "auto_reply"}:
        return Classification(EmailKind.AUTO_REPLY, f"Precedence: {precedence}")
    if is_list_mail(parsed):
        # A person writing through a group that relays our support address is
        # a person; a newsletter is not.
        why = list_mail_reason(parsed, own_addresses=own_addresses)
        if why:
            return Classification(EmailKind.AUTO_REPLY, why)
    elif precedence == "list":
        return Classification(EmailKind.AUTO_REPLY, f"Precedence: {precedence}")
    if _AUTO_SUBJECT.match(parsed.subject):
        return Classification(EmailKind.AUTO_REPLY, "out-of-office subject")
    if _is_null_sender(parsed):
        return Classification(EmailKind.AUTO_REPLY, "null sender (Return-Path: <>)")
    return Classification(EmailKind.PERSON, "")


def is_no_reply_address(address: str) -> bool:
    """Addresses that never read what we send (no acknowledgement goes there)."""
    return bool(_NO_REPLY.match(address) or automatic_sender(address))
