"""Checking a corpus of real mail ingested twice into an empty database: no crash
(not even one caught and quarantined as « unexpected error »), nothing lost (every
message has its ledger row; a « duplicate » is a copy of what it matched, not another
message reusing its Message-ID), nothing stored twice, robots opened nothing (by
standard markers and by sender address), no spam complaint taken for a bounce,
replies on the right case, no subject or body that looks like mojibake, no customer
line hidden by reply stripping. Each check is a function of its own.

Used by ``scripts/email_corpus_check.py`` (any corpus, a scratch database) and by
the test suite (CPython's own email test data). ``corpus_check`` only reads the
ledger (``InboundEmail``), interactions and cases the two imports left;
``corpus_reply_probe`` then writes: it ingests a reply to each message that opened a
case, quoting its Message-ID header as it came, and checks where the reply landed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import compat32
from email.utils import format_datetime, parseaddr

from amiable.cases.models import Case
from amiable.conversations.models import Direction, Interaction
from amiable.core.clock import now
from amiable.customers.models import Customer
from amiable.inbound.models import InboundEmail, InboundStatus
from amiable.inbound.mojibake import message_mojibake_signs, mojibake_signs
from amiable.inbound.reasons import QuarantineCode
from amiable.inbound.reply_check import hidden_customer_lines
from amiable.inbound.services import ImportReport, email_ingest

LANDED = frozenset({InboundStatus.OPENED, InboundStatus.THREADED})
ROBOTS = frozenset(
    {InboundStatus.AUTO_REPLY, InboundStatus.BOUNCE, InboundStatus.COMPLAINT}
)
_HEADERS = BytesParser(policy=compat32)


@dataclass(frozen=True)
class CorpusCheck:
    messages: int
    stored: int
    statuses: Counter[str]
    quarantine_reasons: Counter[str]
    first_pass_duplicates: int
    threaded_replies: int
    problems: list[str] = field(default_factory=list)
    mojibake: int = 0
    robot_sender_cases: int = 0  # plainly automatic senders that opened a case
    feedback_reports_misread: int = 0  # spam complaints taken for bounces or mail

    @property
    def is_ok(self) -> bool:
        return not self.problems


def _head(raw: bytes) -> Message | None:
    """The headers of ``raw`` as the stdlib reads them (independent of our parser);
    None when they cannot be read at all."""
    try:
        return _HEADERS.parsebytes(raw, headersonly=True)
    except Exception:  # noqa: BLE001 (unreadable headers: judged as absent)
        return None


def _sender(raw: bytes) -> str:
    """The From address of ``raw``: with the Message-ID, the yardstick for "the
    same message"."""
    head = _head(raw)
    return parseaddr(str(head.get("from", "")))[1].lower() if head else ""


_DAEMONS = ("mailer-daemon", "mailer_daemon", "postmaster", "mail-daemon")
_DAEMON_NAMES = re.compile(
    r"mailer[- ]daemon|mail delivery (?:sub)?system|postmaster", re.IGNORECASE
)


def looks_automatic(raw: bytes) -> str:
    """Why ``raw`` is plainly from a robot by the standards' own markers (RFC 3834
    Auto-Submitted, RFC 3464 reports, the null reverse-path, exim's
    X-Failed-Recipients, a mailer daemon as sender), or ""."""
    head = _head(raw)
    if head is None:
        return ""
    auto = str(head.get("auto-submitted", "")).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if head.get_content_type() == "multipart/report":
        return "multipart/report"
    if str(head.get("return-path", "")).strip() == "<>":
        return "null Return-Path"
    if head.get("x-failed-recipients"):
        return "X-Failed-Recipients"
    name, sender = parseaddr(str(head.get("from", "")))
    if sender.lower().partition("@")[0] in _DAEMONS:
        return f"sent by {sender.lower()}"
    if _DAEMON_NAMES.search(name):
        return f"sent by {name}"
    return ""


# Senders no person writes from, spelled independently of ``robots`` (a yardstick
# must not share the classifier's blind spots): no-reply and notification addresses,
# mail servers, feedback loops, mailing-list managers.
_ROBOT_LOCAL = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|ne[-_.]?pas[-_.]?repondre"
    r"|notifications?|mailer[-_.]?daemon|post[-_.]?master|mail[-_.]?daemon"
    r"|bounces?|fbl|sympa|listserv|majordomo|mailman)(?:$|[-_.+=])"
    r"|^owner-|-(?:owner|request|bounces)(?:\+.*)?$",
    re.IGNORECASE,
)


def looks_robot_sender(raw: bytes) -> str:
    """Why the sender of ``raw`` is plainly software (its address: a no-reply,
    notification, mail server, feedback-loop or list-manager one; or a
    feedback-loop report), or ""."""
    if is_feedback_report(raw):
        return "a feedback-loop report"
    head = _head(raw)
    if head is None:
        return ""
    sender = parseaddr(str(head.get("from", "")))[1].lower()
    if _ROBOT_LOCAL.search(sender.partition("@")[0]):
        return f"sent by {sender}"
    return ""


def is_feedback_report(raw: bytes) -> bool:
    """An abuse feedback report (RFC 5965): ``multipart/report;
    report-type=feedback-report``, or a ``message/feedback-report`` part."""
    head = _head(raw)
    if head is None:
        return False
    if head.get_content_type() == "multipart/report" and (
        str(head.get_param("report-type", "")).lower() == "feedback-report"
    ):
        return True
    return b"message/feedback-report" in raw.lower()


def _check_robot_senders(originals: dict[int, bytes], problems: list[str]) -> int:
    """Messages whose sender is plainly software but opened a case; returns how
    many."""
    found = 0
    for email in InboundEmail.objects.filter(
        pk__in=originals, status=InboundStatus.OPENED
    ):
        why = looks_robot_sender(originals[email.pk])
        if why:
            found += 1
            problems.append(
                f"a robot sender opened case {email.case_id} ({why}): #{email.pk}"
            )
    return found


def _check_feedback_reports(originals: dict[int, bytes], problems: list[str]) -> int:
    """Feedback-loop (spam complaint) reports recorded as a bounce (a delivered
    email marked bounced) or as a customer's message; returns how many."""
    found = 0
    for email in InboundEmail.objects.filter(
        pk__in=originals,
        status__in=[InboundStatus.BOUNCE, *LANDED],
    ):
        if is_feedback_report(originals[email.pk]):
            found += 1
            problems.append(
                f"a feedback-loop report was recorded as {email.status}: #{email.pk}"
            )
    return found


def _text(raw: bytes) -> str:
    """The first text part of ``raw`` as the stdlib decodes it, spaces collapsed
    (independent of our parser)."""
    try:
        message = BytesParser(policy=compat32).parsebytes(raw)
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                payload = part.get_payload(decode=True)
                if isinstance(payload, bytes):
                    charset = part.get_content_charset() or "utf-8"
                    return " ".join(payload.decode(charset, "replace").split())
    except Exception:  # noqa: BLE001 (unreadable: judged as empty)
        return ""
    return ""


_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|tr|aw|wg)\s*:|\[[^\]]*\])\s*", re.I)


def _subject(raw: bytes) -> str:
    head = _head(raw)
    subject = " ".join(str(head.get("subject", "")).split()) if head else ""
    previous = None
    while previous != subject:
        previous, subject = subject, _REPLY_PREFIX.sub("", subject)
    return subject.casefold()


def _check_duplicate_is_a_copy(
    label: str, raw: bytes, original: bytes, problems: list[str]
) -> None:
    """A message taken for a duplicate must be a copy of the one it was matched
    with: the same sender, and the same subject or the same text. Another sender,
    or another subject and another text under one Message-ID (scripts and broken
    clients reuse ids), is a different message that was stored nowhere."""
    if _sender(original) != _sender(raw):
        problems.append(
            f"lost: {label} taken for a duplicate of another message "
            f"(same Message-ID, another sender)"
        )
    elif _subject(original) != _subject(raw) and _text(original) != _text(raw):
        problems.append(
            f"lost: {label} taken for a duplicate of another message "
            f"(same Message-ID, another subject and text)"
        )


def _check_accounted_for(first: ImportReport, problems: list[str]) -> None:
    """Every message of the first pass maps to a ledger row that says what it
    became: an interaction (a case opened or added to), a robot's verdict
    (automatic reply, bounce, loop) or a quarantine with its reason."""
    rows = InboundEmail.objects.in_bulk(
        [item.result.email_id for item in first.items if item.result is not None]
    )
    for item in first.items:
        if item.result is None:
            continue  # a crash: reported by corpus_check itself
        email = rows.get(item.result.email_id)
        if email is None:
            problems.append(f"stored nowhere: {item.label}")
        elif email.status in LANDED and email.interaction_id is None:
            problems.append(f"no interaction for {item.label}: #{email.pk}")
        elif email.status == InboundStatus.QUARANTINED and not email.reason:
            problems.append(f"quarantined without a reason: {item.label}")


def _check_no_unexpected_errors(problems: list[str]) -> None:
    """A quarantine for an « unexpected error » is a crash the ingestion caught
    (a bug, never a property of the message): a failure."""
    for email in InboundEmail.objects.filter(status=InboundStatus.QUARANTINED):
        if (
            email.reason_code == QuarantineCode.UNEXPECTED_ERROR
            or email.reason.startswith("unexpected error")
        ):
            problems.append(f"crash caught in quarantine: #{email.pk}: {email.reason}")


def _check_ledger(problems: list[str]) -> None:
    for email in InboundEmail.objects.all():
        if email.status == InboundStatus.QUARANTINED:
            if not email.reason:
                problems.append(f"quarantined without a reason: #{email.pk}")
            if not email.raw or email.raw.size != email.raw_size:
                problems.append(f"quarantined without its source: #{email.pk}")
        elif email.status in LANDED and (
            email.case_id is None or email.interaction_id is None
        ):
            problems.append(f"landed without case or interaction: #{email.pk}")


def _check_robots(problems: list[str]) -> None:
    opened = InboundEmail.objects.filter(status=InboundStatus.OPENED).count()
    cases = Case.objects.count()
    if cases != opened:
        problems.append(f"{cases} cases for {opened} messages that opened one")
    robots = set(
        InboundEmail.objects.filter(status__in=ROBOTS).values_list("sender", flat=True)
    )
    people = set(
        InboundEmail.objects.filter(status__in=LANDED).values_list("sender", flat=True)
    )
    created = Customer.objects.filter(identities__normalized__in=robots - people)
    for customer in created:
        problems.append(f"a customer was created for a robot: {customer.pk}")


def _check_threading(problems: list[str]) -> int:
    """Each inbound message answering an earlier one of the same customer is on
    that message's case; returns how many such replies were checked."""
    inbound = list(
        Interaction.objects.filter(direction=Direction.INBOUND, case__isnull=False)
        .exclude(message_id="")
        .only("id", "message_id", "case_id", "customer_id", "metadata")
        .order_by("id")
    )
    by_id: dict[str, list[Interaction]] = {}
    for interaction in inbound:
        by_id.setdefault(interaction.message_id, []).append(interaction)
    checked = 0
    for interaction in inbound:
        facts = interaction.metadata.get("email", {})
        answered = [
            *facts.get("in_reply_to", []),
            *reversed(facts.get("references", [])),
        ]
        for message_id in answered:
            parents = [
                parent
                for parent in by_id.get(message_id, [])
                if parent.customer_id == interaction.customer_id
                and parent.pk != interaction.pk
            ]
            if parents:
                checked += 1
                if interaction.case_id != parents[-1].case_id:
                    problems.append(
                        f"reply {interaction.pk} ({interaction.message_id}) is on "
                        f"case {interaction.case_id}, its parent on "
                        f"{parents[-1].case_id}"
                    )
                break
    return checked


def check_mojibake(problems: list[str]) -> int:
    """Messages whose subject or body looks like mojibake, or whose subject and
    body are in unrelated scripts (``mojibake``): every inbound interaction, and the
    subject of every ledger row without one (robots, quarantine). Returns how many."""
    found = 0
    inbound = Interaction.objects.filter(direction=Direction.INBOUND)
    for pk, subject, body in inbound.values_list("pk", "subject", "body_text"):
        why = message_mojibake_signs(subject, body)
        if why:
            found += 1
            problems.append(f"mojibake in interaction {pk}, {why}: {subject[:60]!r}")
    others = InboundEmail.objects.filter(interaction__isnull=True)
    for pk, subject in others.values_list("pk", "subject"):
        why = mojibake_signs(subject)
        if why:
            found += 1
            problems.append(
                f"mojibake in the subject of #{pk}: {why}: {subject[:60]!r}"
            )
    return found


def _check_hidden_text(problems: list[str]) -> None:
    """Reply stripping hid nothing the customer wrote: every sentence and list item
    of each inbound e-mail's full text above its quoted history (not quoted, not
    a signature) is in the visible text (``reply_check``)."""
    inbound = Interaction.objects.filter(direction=Direction.INBOUND).only(
        "id", "body_text", "metadata"
    )
    for interaction in inbound.iterator(chunk_size=500):
        full_text = (interaction.metadata or {}).get("full_text")
        if not full_text:
            continue  # nothing was folded: the visible text is the whole text
        for line in hidden_customer_lines(str(full_text), interaction.body_text):
            problems.append(
                f"customer text hidden in interaction {interaction.pk}: {line[:80]!r}"
            )


def corpus_check(
    *, raws: list[bytes], first: ImportReport, second: ImportReport
) -> CorpusCheck:
    """What is wrong after ``raws`` were imported twice (``first`` then ``second``)
    into a database that was empty before."""
    problems: list[str] = []
    for report, name in ((first, "first"), (second, "second")):
        for item in report.crashes:
            problems.append(
                f"crash in the {name} pass: {item.label}: {item.crash_reason}"
            )
    originals: dict[int, bytes] = {}
    duplicates = 0
    for raw, item in zip(raws, first.items, strict=True):
        if item.result is None:
            continue
        if not item.result.is_duplicate:
            originals[item.result.email_id] = raw
            continue
        duplicates += 1
        original = originals.get(item.result.email_id)
        if original is None:
            problems.append(f"duplicate of nothing seen before: {item.label}")
        else:
            _check_duplicate_is_a_copy(item.label, raw, original, problems)
    for email in InboundEmail.objects.filter(
        pk__in=originals, status=InboundStatus.OPENED
    ):
        why = looks_automatic(originals[email.pk])
        if why:
            problems.append(f"a robot opened case {email.case_id} ({why}): #{email.pk}")
    stored = InboundEmail.objects.count()
    if stored != len(originals):
        problems.append(f"{stored} ledger rows for {len(originals)} new messages")
    for item in second.items:
        if item.result is not None and not item.result.is_duplicate:
            problems.append(f"stored twice: {item.label}")
    _check_ledger(problems)
    _check_accounted_for(first, problems)
    _check_no_unexpected_errors(problems)
    _check_robots(problems)
    _check_hidden_text(problems)
    robot_sender_cases = _check_robot_senders(originals, problems)
    feedback_reports_misread = _check_feedback_reports(originals, problems)
    threaded = _check_threading(problems)
    mojibake = check_mojibake(problems)
    return CorpusCheck(
        messages=len(raws),
        stored=stored,
        statuses=first.statuses,
        quarantine_reasons=first.quarantine_reasons,
        first_pass_duplicates=duplicates,
        threaded_replies=threaded,
        problems=problems,
        mojibake=mojibake,
        robot_sender_cases=robot_sender_cases,
        feedback_reports_misread=feedback_reports_misread,
    )


def _reply_to(email: InboundEmail, message_id_header: str, number: int) -> bytes:
    reply = EmailMessage()
    reply["From"] = email.sender
    reply["To"] = "support@amiable.localhost"
    reply["Subject"] = f"Re: {email.subject}"[:200]
    reply["Date"] = format_datetime(now())
    reply["Message-ID"] = f"<corpus-reply-{number}@probe.amiable.localhost>"
    reply["In-Reply-To"] = message_id_header
    reply["References"] = message_id_header
    reply.set_content("Thank you, and one more question about this.")
    return reply.as_bytes()


def corpus_reply_probe(
    *, raws: list[bytes], first: ImportReport
) -> tuple[int, list[str]]:
    """Reply, from its sender, to each message that opened a case, with the
    original's Message-ID header verbatim in In-Reply-To; each reply must go on
    the case of the newest message of that customer with that id. Returns (replies
    sent, problems)."""
    problems: list[str] = []
    sent = 0
    seen: set[int] = set()
    for raw, item in zip(raws, first.items, strict=True):
        result = item.result
        if result is None or result.is_duplicate or result.email_id in seen:
            continue
        seen.add(result.email_id)
        email = InboundEmail.objects.get(pk=result.email_id)
        if (
            email.status != InboundStatus.OPENED
            or not email.message_id
            or email.customer_id is None
        ):
            continue
        head = _head(raw)
        header = " ".join(str(head.get("message-id", "")).split()) if head else ""
        if not header:
            continue
        sent += 1
        answer = email_ingest(raw=_reply_to(email, header, sent), source="command")
        parent = (
            Interaction.objects.filter(
                direction=Direction.INBOUND,
                message_id=email.message_id,
                customer_id=email.customer_id,
            )
            .order_by("-id")
            .first()
        )
        expected = parent.case_id if parent else email.case_id
        if answer.status != InboundStatus.THREADED or answer.case_id != expected:
            problems.append(
                f"a reply to {item.label} ({header}) went to {answer.status} "
                f"case {answer.case_id}, not case {expected}"
            )
    return sent, problems
