"""Senders that are software, and list mail: no-reply and notification addresses of
cloud mail services, mail servers under their many spellings, mailing-list managers
(Mailman, LISTSERV, Sympa, ezmlm, Majordomo), spam complaint notices, and the line
between a newsletter and a person's message relayed by a group (a support address
run through Google Groups or a list server).

Read by ``classify``; every function here is pure (a parsed message and our
addresses in, a verdict out).
"""

from __future__ import annotations

import dataclasses
import json
import re

from amiable.inbound.mail_headers import message_ids_in
from amiable.inbound.mail_reports import DeliveryReport
from amiable.inbound.parsing import ParsedEmail

# Local parts no person writes from. After an SRS, BATV (``prvs=…=``) prefix.
_AUTOMATIC_LOCAL = re.compile(
    r"^(?:prvs=[^=]+=|btv1==[^=]+==)?(?:"
    r"no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|ne[-_.]?pas[-_.]?r[eé]pondre"
    r"|nicht[-_.]?antworten|keine[-_.]?antwort"
    r"|notifications?|notifier|alerts?[-_.]?noreply"
    r"|mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master|mdaemon"
    r"|mail[-_.]?delivery(?:[-_.]?(?:system|subsystem))?|delivery[-_.]?status"
    r"|bounces?|fbl|feedback[-_.]?loop|arf|scomp"
    r")(?:$|[-_.+=])"
    r"|^microsoftexchange[0-9a-f]{32}$",  # Exchange's system mailbox
    re.IGNORECASE,
)
# Mailing-list managers and their command, owner and bounce addresses.
_LIST_MANAGER_LOCAL = re.compile(
    r"^(?:sympa|listserv|majordomo|mailman|ezmlm|lyris|listproc|listmanager)(?:$|[-_.+])"
    r"|^owner-"
    r"|-(?:owner|request|bounces?|errors|admin-?request)(?:\+.*)?$"
    r"|-return-",
    re.IGNORECASE,
)
# What complaint notices say (when they carry no machine-readable report).
COMPLAINT_TEXT = re.compile(
    r"marked (?:it |this (?:message |e-?mail )?|your (?:message|e-?mail) |the "
    r"(?:message|e-?mail) )?as (?:spam|junk)"
    r"|(?:spam|abuse) (?:complaint|report)"
    r"|signal[ée]e? comme (?:spam|ind[ée]sirable)|plainte (?:pour|de) spam"
    r"|als spam (?:markiert|gemeldet)|spam-beschwerde",
    re.IGNORECASE,
)
# Headers and body words of bulk mail sent by an emailing service.
_CAMPAIGN_MAILER = re.compile(
    r"mailchimp|sendinblue|brevo|mailjet|campaign|newsletter|hubspot|klaviyo"
    r"|sendgrid|mailgun|marketo|salesforce|emarsys|dolist|splio|cakemail",
    re.IGNORECASE,
)
_UNSUBSCRIBE_TEXT = re.compile(
    r"unsubscribe|se d[ée]sinscrire|d[ée]sinscription|d[ée]sabonne|abbestellen"
    r"|abmelden|view (?:it |this (?:e-?mail )?)?in (?:your |a )?browser"
    r"|version en ligne"
    r"|voir (?:ce|cet) (?:e-?mail|message) dans (?:votre|un) navigateur",
    re.IGNORECASE,
)
# A group or list server's own footer tells how to leave the group: not a sign.
_GROUP_FOOTER = re.compile(
    r"(?:this|ce|cette|diese[rn]?) (?:group|groupe|gruppe|list|liste)"
    r"|[-+](?:leave|unsubscribe)@|/listinfo/|mailing list",
    re.IGNORECASE,
)
# ezmlm and Mailman answer commands from the list's -help, -confirm, ... address.
_LIST_COMMAND_LOCAL = re.compile(
    r"-(?:help|confirm|subscribe|unsubscribe|join|leave)(?:\+.*)?$", re.IGNORECASE
)
_MAILTO = re.compile(r"mailto:([^>?,\s]+)", re.IGNORECASE)
_VIA = re.compile(r"^\s*['\"]?(.*?)['\"]?\s+(?:via|par l'interm[ée]diaire de)\s+.*$")


def automatic_sender(address: str) -> str:
    """Why ``address`` is software's (a no-reply, notification, mail server or
    complaint address, a mailing-list manager), or ""."""
    local = address.partition("@")[0]
    if _AUTOMATIC_LOCAL.match(local):
        return f"automatic sender address ({address})"
    if _LIST_MANAGER_LOCAL.search(local):
        return f"mailing-list manager ({address})"
    return ""


def list_command_reply(parsed: ParsedEmail) -> str:
    """Why ``parsed`` is a list server answering a command, or ""."""
    if is_list_mail(parsed) and _LIST_COMMAND_LOCAL.search(
        parsed.from_address.partition("@")[0]
    ):
        return f"mailing-list manager ({parsed.from_address})"
    return ""


def is_complaint_notice(parsed: ParsedEmail) -> bool:
    """A notice that someone marked our mail as spam (a feedback-loop report, or an
    emailing service's notice from its automatic address)."""
    feedback = parsed.feedback
    if feedback is not None and feedback.source == "arf":
        return True
    if not automatic_sender(parsed.from_address):
        return False
    return feedback is not None or bool(
        COMPLAINT_TEXT.search(parsed.subject)
        or COMPLAINT_TEXT.search(parsed.text[:5000])
    )


def _list_addresses(parsed: ParsedEmail) -> set[str]:
    """The addresses the list headers name: List-Post and Mailing-list mailto,
    and the List-Id read as an address (``<support.example.com>`` is
    ``support@example.com``, as group services and list servers write it)."""
    headers = parsed.headers
    found = {
        address.lower()
        for name in ("list-post", "mailing-list")
        for address in _MAILTO.findall(headers.get(name, ""))
    }
    for word in re.findall(r"[\w@.+-]+", headers.get("mailing-list", "")):
        if "@" in word:
            found.add(word.lower().rstrip("."))
    list_id = headers.get("list-id", "")
    token = (re.findall(r"<([^<>\s]+)>", list_id) or [list_id.strip()])[-1].lower()
    local, _dot, domain = token.partition(".")
    if local and domain:
        found.add(f"{local}@{domain}")
        if domain.startswith(("lists.", "groups.", "googlegroups.")):
            found.add(f"{local}@{domain.partition('.')[2]}")
    return found


def is_list_mail(parsed: ParsedEmail) -> bool:
    headers = parsed.headers
    return any(
        name in headers
        for name in (
            "list-id",
            "list-unsubscribe",
            "list-post",
            "mailing-list",
            "x-google-group-id",
        )
    )


def newsletter_signs(parsed: ParsedEmail, *, is_group: bool) -> list[str]:
    """What makes list mail bulk mail: an emailing service's headers, one-click
    unsubscription, a list nobody posts to, an unsubscribe footer, and (outside a
    group) a List-Unsubscribe header."""
    headers = parsed.headers
    signs: list[str] = []
    if "list-unsubscribe-post" in headers:
        signs.append("one-click List-Unsubscribe-Post")
    if "feedback-id" in headers or "x-campaign" in headers:
        signs.append("emailing service headers")
    if _CAMPAIGN_MAILER.search(headers.get("x-mailer", "")):
        signs.append(f"X-Mailer: {headers['x-mailer'][:60]}")
    if headers.get("list-post", "").strip().lower() == "no":
        signs.append("List-Post: NO (an announcement list)")
    if "list-unsubscribe" in headers and not is_group:
        signs.append("List-Unsubscribe")
    body = "\n".join(
        line
        for line in (parsed.text or parsed.html)[-3000:].splitlines()
        if not _GROUP_FOOTER.search(line)
    )
    if _UNSUBSCRIBE_TEXT.search(body):
        signs.append("an unsubscribe link")
    return signs


def list_mail_reason(parsed: ParsedEmail, *, own_addresses: frozenset[str]) -> str:
    """For list mail: "" when it is a person's message relayed by a group (a group
    on one of our domains, as a support address run as a Google Group whose member
    is our mailbox; a group service's group; a group that writes to us), else why
    it is a newsletter or list mail. Called on list mail from a person-like
    sender; without a newsletter's signs, a group service's message is a person's
    (a lost customer costs more than a case opened for a discussion list)."""
    headers = parsed.headers
    is_ours = _is_our_list(parsed, own_addresses)
    is_group = (
        is_ours
        or "x-google-group-id" in headers
        or "mailing-list" in headers
        or headers.get("list-post", "no").strip().lower() != "no"
    )
    signs = newsletter_signs(parsed, is_group=is_group)
    if signs:
        return f"newsletter ({', '.join(signs)})"
    addressed_to_us = any(
        address in own_addresses for address in [*parsed.to, *parsed.cc]
    )
    if is_ours or addressed_to_us or "x-google-group-id" in headers:
        return ""
    return "mailing list or newsletter"


def _is_our_list(parsed: ParsedEmail, own_addresses: frozenset[str]) -> bool:
    """Do the list headers name one of our addresses, or a list on our domains?"""
    addresses = _list_addresses(parsed)
    own_domains = {_domain(address) for address in own_addresses}
    return bool(addresses & own_addresses) or any(
        _domain(address) in own_domains for address in addresses
    )


def _domain(address: str) -> str:
    return address.rpartition("@")[2].lower()


def _is_web_form(parsed: ParsedEmail) -> bool:
    """A contact form posts a person's message from a no-reply address of its site
    with the person in Reply-To (on another domain): the person wrote it. Not a
    notification service, whose Reply-To stays on its own domain."""
    reply_to, sender = parsed.reply_to, parsed.from_address
    if not reply_to or not _AUTOMATIC_LOCAL.match(sender.partition("@")[0]):
        return False
    if automatic_sender(reply_to) or _DAEMON_FORM.search(sender):
        return False
    if parsed.report is not None or parsed.feedback is not None:
        return False
    headers = parsed.headers
    if "auto-submitted" in headers or "x-failed-recipients" in headers:
        return False
    one, other = _domain(reply_to), _domain(sender)
    return not (one == other or one.endswith(f".{other}") or other.endswith(f".{one}"))


# Mail servers and feedback loops never relay a person's words.
_DAEMON_FORM = re.compile(
    r"^(?:mailer|mail)[-_.]?daemon|^post[-_.]?master|^bounce|^fbl|^arf|^scomp"
    r"|^mail[-_.]?delivery|^delivery[-_.]?status",
    re.IGNORECASE,
)


def original_sender(
    parsed: ParsedEmail, *, own_addresses: frozenset[str]
) -> ParsedEmail:
    """Who wrote ``parsed`` when a web form or a group relays it. A web form posts
    from its no-reply address with the person in Reply-To (see ``_is_web_form``).
    A group service that rewrites From to its own address (Google Groups does for
    senders whose domain publishes DMARC: « 'Jean' via Support
    <support@example.com> ») keeps the person in X-Original-Sender and Reply-To:
    ``parsed`` with that person as sender. Anything else is returned unchanged; our
    own outbound mail (X-Amiable-Case, X-Loop) stays ours."""
    headers = parsed.headers
    if _is_web_form(parsed):
        return dataclasses.replace(parsed, from_address=parsed.reply_to, from_name="")
    if (
        not is_list_mail(parsed)
        or (
            parsed.from_address not in own_addresses
            and parsed.from_address not in _list_addresses(parsed)
        )
        or "x-amiable-case" in headers
        or "amiable" in headers.get("x-loop", "")
    ):
        return parsed
    candidates = [
        *(
            address.lower()
            for address in re.findall(
                r"[^\s<>\"']+@[^\s<>\"']+", headers.get("x-original-sender", "")
            )
        ),
        parsed.reply_to,
    ]
    for address in candidates:
        if address and address not in own_addresses and "@" in address:
            match = _VIA.match(parsed.from_name)
            name = match.group(1).strip() if match else ""
            return dataclasses.replace(parsed, from_address=address, from_name=name)
    return parsed


def ses_bounce_report(parsed: ParsedEmail) -> DeliveryReport | None:
    """The permanent bounce an Amazon SES notice (the JSON an SNS topic mails from
    its automatic address) reports, or None (another notice, a transient bounce:
    the email is still retried)."""
    text = parsed.text[:100_000]
    if '"Bounce"' not in text or not automatic_sender(parsed.from_address):
        return None
    start, end = text.find("{"), text.rfind("}")
    try:
        data = json.loads(text[start : end + 1]) if 0 <= start < end else None
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("Message"), str):
        try:  # the raw SNS envelope: the notification is a string inside
            data = json.loads(data["Message"])
        except ValueError:
            return None
    if not isinstance(data, dict) or data.get("notificationType") != "Bounce":
        return None
    bounce = data.get("bounce") or {}
    if not isinstance(bounce, dict) or bounce.get("bounceType") != "Permanent":
        return None
    recipients = [
        item for item in bounce.get("bouncedRecipients") or [] if isinstance(item, dict)
    ]
    first = recipients[0] if recipients else {}
    mail = data.get("mail") or {}
    common = mail.get("commonHeaders") or {} if isinstance(mail, dict) else {}
    return DeliveryReport(
        original_message_ids=message_ids_in(str(common.get("messageId", ""))),
        recipient=str(first.get("emailAddress", "")).lower()[:254],
        action="failed",
        status=str(first.get("status", ""))[:20],
        diagnostic=str(first.get("diagnosticCode") or bounce.get("bounceSubType", ""))[
            :500
        ],
    )
